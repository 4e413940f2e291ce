import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/rpc-errors';
import type { TerminalOutputChunk } from '../../../shared/terminal-model';
import { OwnerTerminals, type OwnerOpen } from './owner-terminals';
import { engineOpen, scriptedService } from './terminal-test-helpers';
import type { OpenTerminal } from './terminal-types';

let env: ReturnType<typeof scriptedService>;
let owner: OwnerTerminals;
afterEach(async () => {
  owner?.dispose();
  await env?.cleanup();
});

function setup(over: Partial<ConstructorParameters<typeof OwnerTerminals>[0]> = {}) {
  env = scriptedService();
  const opened: OpenTerminal[] = [];
  const open = env.service.open.bind(env.service);
  env.service.open = (req) => (opened.push(req), open(req));
  owner = new OwnerTerminals({
    terminals: env.service,
    log: env.logs.logger('t'),
    shareLogin: (shareId) => {
      if (shareId !== 'sh1') throw new AppError('not_found', `no share with id ${shareId}`);
      return { username: 'admin', password: 'from-the-share' };
    },
    checkShare: (id) => {
      if (id !== 'sh1') throw new AppError('not_found', `no share with id ${id}`);
    },
    batchMs: 10,
    ...over,
  });
  const batches: TerminalOutputChunk[][] = [];
  owner.onOutput((b) => batches.push(b));
  return { opened, batches };
}

const sshOpen = (login: OwnerOpen['login']): OwnerOpen => ({ host: 'local', lab: 'lab1', node: 'r1', via: 'ssh', port: 22, login, cols: 80, rows: 24, record: false });
const nextBatch = () => new Promise<void>((resolve) => owner.onOutput(() => resolve()));

describe('OwnerTerminals', () => {
  it('logs in with what was typed for this session, or what the share stores; an SSH terminal without a login is refused', async () => {
    const { opened } = setup();
    await owner.open(sshOpen({ username: 'root', password: 'typed-now' }));
    await owner.open(sshOpen({ shareId: 'sh1' }));
    expect(opened.map((o) => o.target)).toEqual([
      expect.objectContaining({ via: 'ssh', port: 22, username: 'root', password: 'typed-now' }),
      expect.objectContaining({ via: 'ssh', port: 22, username: 'admin', password: 'from-the-share' }),
    ]);
    await expect(owner.open(sshOpen(undefined))).rejects.toMatchObject({ code: 'invalid_params', field: 'login' });
    await expect(owner.open(sshOpen({ shareId: 'nope' }))).rejects.toMatchObject({ code: 'not_found' });
    // The answer carries no credentials.
    const info = await owner.open(sshOpen({ username: 'root', password: 'typed-now' }));
    expect(JSON.stringify(info)).not.toContain('typed-now');
    // No login needed for the engine.
    await owner.open({ ...sshOpen(undefined), via: 'engine' });
    expect(opened.at(-1)!.target).toEqual({ host: 'local', lab: 'lab1', node: 'r1', via: 'engine' });
  });

  it('batches output per session with consecutive seq numbers, and ends with the reason', async () => {
    const { batches } = setup();
    const info = await owner.open({ ...sshOpen(undefined), via: 'engine' });
    const sh = env.shells[0];
    sh.emit('a');
    sh.emit('b');
    const e = Buffer.from('€');
    sh.emit(e.subarray(0, 2));
    await nextBatch();
    sh.emit(e.subarray(2));
    await nextBatch();
    owner.close(info.id);
    await nextBatch();
    expect(batches).toEqual([[{ id: info.id, seq: 1, data: 'ab' }], [{ id: info.id, seq: 2, data: '€' }], [{ id: info.id, seq: 3, data: '', end: 'closed by the owner' }]]);
  });

  it('a flood faster than batches leaves a gap in seq; screen() gives the backlog and the seq it covers', async () => {
    const { batches } = setup({ maxPendingBytes: 1000 });
    const info = await owner.open({ ...sshOpen(undefined), via: 'engine' });
    env.shells[0].emit('x'.repeat(600));
    env.shells[0].emit('y'.repeat(600)); // over the bound: this batch is dropped
    env.shells[0].emit('z');
    await nextBatch();
    expect(batches[0]).toEqual([{ id: info.id, seq: 2, data: 'z' }]);
    env.shells[0].emit('tail');
    const screen = owner.screen(info.id);
    expect(screen).toEqual({ id: info.id, seq: 3, data: `${'x'.repeat(600)}${'y'.repeat(600)}ztail` });
    expect(batches[1]).toEqual([{ id: info.id, seq: 3, data: 'tail' }]);
  });

  it('takes no input for an attendee\'s terminal, but can end it; watch mode names an existing share', async () => {
    setup();
    const att = await env.service.open(engineOpen('r1', { shareId: 'sh1', attendeeId: 'a1' }));
    expect(() => owner.write(att.id, 'rm -rf /\r')).toThrow(/attendee's terminal/);
    expect(env.shells[0].written).toEqual([]);
    expect(() => owner.setBroadcast(att.id, 'sh1')).toThrow(/attendee's terminal/);
    owner.kill(att.id);
    expect(env.service.list()).toEqual([]);
    expect(() => owner.kill(att.id)).toThrow(/no terminal session/);
    const mine = await owner.open({ ...sshOpen(undefined), via: 'engine' });
    expect(() => owner.setBroadcast(mine.id, 'nope')).toThrow(/no share/);
    expect(owner.setBroadcast(mine.id, 'sh1')).toMatchObject({ broadcast: true, broadcastTo: 'sh1' });
    expect(owner.setBroadcast(mine.id, null)).toMatchObject({ broadcast: false });
    owner.write(mine.id, 'ls\r');
    owner.resize(mine.id, 100, 30);
    expect(env.shells[1].written.map(String)).toEqual(['ls\r']);
    expect(env.shells[1].sizes).toEqual([[100, 30]]);
  });
});

