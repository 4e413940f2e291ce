import { describe, expect, it } from 'vitest';
import type { Dialer } from '../labs/dialer';
import { LogStore } from '../logs/log-store';
import { DatagramFlows, RETRY_OPEN_MS } from './datagram-flows';

// The peer table's own rules, with a dialer whose datagram path cannot open (a lab host without
// python3, one that is down): each peer costs one attempt per RETRY_OPEN_MS, not one per datagram.
describe('DatagramFlows when the path to the node cannot be opened', () => {
  it('tries once, drops (and counts) the peer\'s datagrams meanwhile, logs once, and tries again later', async () => {
    let now = 1_000_000;
    let attempts = 0;
    const dialer: Dialer = {
      dial: () => Promise.reject(new Error('unused')),
      openDatagram: () => {
        attempts++;
        return Promise.reject(new Error('lab host lab2 has no python3'));
      },
    };
    const logs = new LogStore();
    const failures: string[] = [];
    const flows = new DatagramFlows({ dialer, log: logs.logger('t'), node: 'r1', now: () => now, counted: () => undefined, failed: (m) => failures.push(m) });
    const target = { host: '10.0.0.2', port: 161 };
    const admit = () => ({ allowed: true as const });
    flows.handle('192.0.2.1:4000', Buffer.from('a'), () => undefined, target, admit);
    await new Promise((r) => setImmediate(r)); // the rejection settles
    for (let i = 0; i < 20; i++) flows.handle('192.0.2.1:4000', Buffer.from('b'), () => undefined, target, admit);
    expect(attempts).toBe(1);
    expect(flows.counters).toMatchObject({ open: 0, total: 1, drops: 21 });
    logs.flush();
    expect(logs.query({ limit: 100 }).filter((e) => e.message.includes('cannot open a datagram path'))).toHaveLength(1);
    expect(failures).toEqual(['node r1: cannot open a datagram path to 10.0.0.2:161: lab host lab2 has no python3']);
    now += RETRY_OPEN_MS;
    flows.handle('192.0.2.1:4000', Buffer.from('c'), () => undefined, target, admit);
    expect(attempts).toBe(2);
    flows.closeAll('test over');
    logs.dispose();
  });
});
