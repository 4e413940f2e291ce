import type { Events } from '../../shared/contract';
import type { Emitter } from './util/emitter';
import type { Dispatch } from './rpc/dispatch';

export interface CoreOptions {
  /** Settings, secrets and logs live here. */
  dataDir: string;
  /** Where `labs.list` finds Docker; defaults to DOCKER_HOST or the local socket. */
  dockerHost?: string;
}

/** What the Electron main process and the headless host get from the composition root. */
export interface Core {
  dispatch: Dispatch;
  /** Every contract event, fanned out to the window / WebSocket clients. */
  events: Emitter<Events>;
  start(): Promise<void>;
  /** Closes every tunnel, listener and connection; disposes services in reverse order. */
  dispose(): Promise<void>;
}
