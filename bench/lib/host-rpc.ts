/** A minimal JSON-RPC 2.0 client for the headless host's `/api` WebSocket (token in the URL), and the host itself. */
import fs from 'node:fs';
import WebSocket from 'ws';
import { startHost, type TestHost } from '../../test-support/host-process';
import { onCleanup } from './procs';
import { benchTmp } from './tmp';
import type { EventName, Events, MethodName, ParamsIn, Result } from '../../shared/contract';

export interface HostRpc {
  call<M extends MethodName>(method: M, params: ParamsIn<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  close(): void;
}

export function openHostRpc(port: number, token: string): Promise<HostRpc> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${encodeURIComponent(token)}`);
    const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
    const listeners = new Set<(method: string, params: unknown) => void>();
    let nextId = 1;
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
      const p = msg.id !== undefined ? pending.get(msg.id) : undefined;
      if (p) {
        pending.delete(msg.id!);
        return msg.error ? p.reject(new Error(msg.error.message)) : p.resolve(msg.result);
      }
      if (msg.method) for (const l of [...listeners]) l(msg.method, msg.params);
    });
    ws.on('close', () => {
      for (const p of pending.values()) p.reject(new Error('the API connection closed'));
      pending.clear();
    });
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        call: (method, params) =>
          new Promise((res, rej) => {
            const id = nextId++;
            pending.set(id, { resolve: res as (v: unknown) => void, reject: rej });
            ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
          }),
        on: (event, listener) => {
          const l = (method: string, params: unknown) => method === event && listener(params as Events[typeof event]);
          listeners.add(l);
          return () => listeners.delete(l);
        },
        close: () => ws.close(),
      }),
    );
  });
}

/** The headless host (dist-host, or another build's `cli`) on a fresh data folder with its API open; both removed at the end. */
export async function startBenchHost(opts: { env?: NodeJS.ProcessEnv; cli?: string } = {}): Promise<{ host: TestHost; rpc: HostRpc }> {
  const host = await startHost({ dataDir: benchTmp('host'), ...opts });
  onCleanup(async () => {
    await host.stop();
    fs.rmSync(host.dataDir, { recursive: true, force: true });
  });
  const rpc = await openHostRpc(host.port, host.token);
  onCleanup(() => rpc.close());
  return { host, rpc };
}
