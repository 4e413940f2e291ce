/**
 * THIS IS A STAND-IN, NOT ELECTRON. The Electron binary cannot be installed on the machines
 * that run these tests, so the built main and preload bundles are loaded in plain Node with
 * `require('electron')` answered by this recording stand-in. It implements only what the
 * shell uses, follows Electron's documented behaviour where the shell depends on it (event
 * order on quit, preventable events, protocol registration before/after `ready`, OSCrypt's
 * prefixes), and records every call so tests can assert what the shell asked Electron to do.
 * What it cannot prove (Chromium really enforcing the CSP, the sandbox, the fuses) is covered
 * by e2e/electron.spec.ts where a binary exists.
 *
 * The world: state shared by the stand-in's modules, with one change signal to wait on.
 */
import { EventEmitter } from 'node:events';

export interface Display {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
  workArea: { x: number; y: number; width: number; height: number };
}

export interface WorldOptions {
  userData: string;
  downloads?: string;
  appPath: string;
  isPackaged?: boolean;
  /** What requestSingleInstanceLock() answers (another instance running: false). */
  singleInstance?: boolean;
  displays?: Display[];
  platform?: NodeJS.Platform;
  safeStorage?: { available?: boolean; backend?: 'basic_text' | 'gnome_libsecret' | 'kwallet5' };
}

export class World extends EventEmitter {
  readonly calls: { what: string; args: unknown[] }[] = [];
  ready = false;
  quitting = false;
  displays: Display[];

  constructor(readonly opts: WorldOptions) {
    super();
    this.setMaxListeners(100);
    this.displays = opts.displays ?? [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1050 } }];
  }

  /** Record a call the shell made, and wake whoever waits for it. */
  record(what: string, ...args: unknown[]): void {
    this.calls.push({ what, args });
    this.changed();
  }

  changed(): void {
    this.emit('changed');
  }

  called(what: string): unknown[][] {
    return this.calls.filter((c) => c.what === what).map((c) => c.args);
  }

  /** Resolves when `check` returns a value, re-checking on every change; no polling. */
  waitFor<T>(check: () => T | undefined | false | null, what: string, timeoutMs = 15_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const first = check();
      if (first) return resolve(first);
      const onChange = () => {
        const v = check();
        if (!v) return;
        cleanup();
        resolve(v);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; calls so far: ${this.calls.map((c) => c.what).join(', ')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('changed', onChange);
      };
      this.on('changed', onChange);
    });
  }
}

/** Electron's preventable events: `{ preventDefault() }` plus whatever the event carries. */
export function preventable<T extends object>(fields: T = {} as T): T & { preventDefault(): void; defaultPrevented: boolean } {
  const e = { ...fields, defaultPrevented: false, preventDefault: () => void (e.defaultPrevented = true) };
  return e;
}
