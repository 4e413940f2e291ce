import { transport } from '../../api';

export { RELOAD_HINT } from '../../api/ws-client';

/** Reconnect to the host now instead of waiting for the backoff. */
export function reconnectNow(): void {
  transport.retryNow();
}
