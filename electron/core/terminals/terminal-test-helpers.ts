import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LabNode } from '../../../shared/model';
import { LogStore } from '../logs/log-store';
import { SettingsStore } from '../settings/settings-store';
import type { ShellChannel } from './shell-channel';
import { TerminalService, type TerminalServiceDeps } from './terminal-service';
import type { OpenTerminal } from './terminal-types';

/** A shell the test drives: what the session wrote and resized, and output/exit on demand. */
export class ScriptedShell implements ShellChannel {
  readonly written: Buffer[] = [];
  readonly sizes: [number, number][] = [];
  closed = false;
  private data?: (chunk: Buffer) => void;
  private end?: (reason: string) => void;

  onData(l: (chunk: Buffer) => void): void {
    this.data = l;
  }
  onEnd(l: (reason: string) => void): void {
    this.end = l;
  }
  write(b: Buffer): void {
    this.written.push(b);
  }
  resize(cols: number, rows: number): void {
    this.sizes.push([cols, rows]);
  }
  close(): void {
    this.closed = true;
  }
  emit(chunk: string | Buffer): void {
    this.data?.(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  }
  exit(reason: string): void {
    this.end?.(reason);
  }
}

export const runningNode = (name: string): LabNode => ({ name, containerName: `clab-t-${name}`, containerId: `id-${name}`, kind: 'linux', type: '', image: 'x', state: 'running', ipv4: '127.0.0.1', ports: [] });

/** A service whose shells are ScriptedShells (each open's shell is pushed to `shells`). */
export function scriptedService(over: Partial<TerminalServiceDeps> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'terminals-'));
  const logs = new LogStore();
  const shells: ScriptedShell[] = [];
  let gate: Promise<void> | undefined;
  const service = new TerminalService({
    labs: { findNode: (_h, _l, n) => (n === 'stopped' ? { ...runningNode(n), state: 'exited' } : n === 'missing' ? undefined : runningNode(n)), dialerFor: () => undefined, dockerFor: () => undefined },
    settings: new SettingsStore(dataDir),
    dataDir,
    log: logs.logger('terminals'),
    openShell: async () => {
      const s = new ScriptedShell();
      shells.push(s);
      if (gate) await gate;
      return s;
    },
    ...over,
  });
  return {
    service,
    shells,
    dataDir,
    logs,
    /** Opens wait until the returned function is called. */
    hold(): () => void {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
    cleanup: async () => {
      await service.dispose();
      logs.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const engineOpen = (node: string, extra: Partial<OpenTerminal> = {}): OpenTerminal => ({
  target: { host: 'local', lab: 'lab1', node, via: 'engine' },
  cols: 80,
  rows: 24,
  ...extra,
});
