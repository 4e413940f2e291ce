import type { ProviderInfo } from '../../shared/model';
import { Countdown } from './countdown';
import { StateBadge } from './state-badge';

/** Connection state of a provider, with the error and the next retry. */
export function ProviderStatus({ provider }: { provider: ProviderInfo }) {
  const c = provider.connection;
  return (
    <div className="provider-status" data-testid={`${provider.id}-status`}>
      {provider.configured ? <StateBadge state={c.state} /> : <StateBadge state="idle" label="not configured" />}
      {c.error ? <span className="error-text">{c.error}</span> : null}
      {c.nextRetryAt && (c.state === 'reconnecting' || c.state === 'failed') ? <Countdown at={c.nextRetryAt} /> : null}
    </div>
  );
}
