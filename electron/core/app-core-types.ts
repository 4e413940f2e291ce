import type { Events } from '../../shared/contract';
import type { Emitter } from './util/emitter';
import type { Dispatch } from './rpc/dispatch';
import type { SecretCipher } from './secrets/secret-cipher';

export interface CoreOptions {
  /** Settings, secrets and logs live here. */
  dataDir: string;
  /** Where `labs.list` finds Docker; defaults to DOCKER_HOST or the local socket. */
  dockerHost?: string;
  /** How secrets are encrypted at rest: Electron's safeStorage on the desktop; a key file by default. */
  secretCipher?: SecretCipher;
  /** Environment for `${VAR}` expansion and border0 overrides; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** The built audience page (index.html and assets/); without it pages are plain HTML. */
  audienceDir?: string;
  /**
   * What the shell decided before the core existed and the user should be able to read in
   * the log (e.g. why secrets use the key file): logged by createCore, source `shell`.
   */
  notes?: StartupNote[];
}

export interface StartupNote {
  level: 'info' | 'warn' | 'error';
  message: string;
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
