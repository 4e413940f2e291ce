import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAsciicast } from '../../../../shared/asciicast';
import { LogStore } from '../../logs/log-store';
import { engineOpen, scriptedService } from '../terminal-test-helpers';
import { TerminalService } from '../terminal-service';
import { SettingsStore } from '../../settings/settings-store';
import { AsciicastRecorder } from './asciicast-recorder';
import { waitFor } from '../../../../test-support/wait-for';

let env: ReturnType<typeof scriptedService>;
afterEach(async () => env?.cleanup());

/** Resolves once the session's recording is finished on disk (listed complete). */
const finished = (service: TerminalService, id: string) =>
  waitFor((l) => service.onChanged(l), () => service.recordings().find((x) => x.id === id && x.complete), `recording ${id} to finish`);

describe('recordings (asciicast v2)', () => {
  it('records output with relative times, resizes as "r" events, and lists who, which node, when and how long', async () => {
    env = scriptedService();
    const before = Date.now();
    const s = await env.service.open(engineOpen('r1', { shareId: 'sh1', attendeeId: 'a1', attendeeName: 'Ada', cols: 90, rows: 30, record: true }));
    const id = s.info().recordingId!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(env.service.recordings()).toEqual([expect.objectContaining({ id, sessionId: s.id, shareId: 'sh1', attendeeName: 'Ada', host: 'local', lab: 'lab1', node: 'r1', complete: false })]);
    const sh = env.shells[0];
    sh.emit('$ echo hé\r\n');
    // A two-byte character split across two chunks comes out whole.
    const e = Buffer.from('é');
    sh.emit(Buffer.concat([Buffer.from('h'), e.subarray(0, 1)]));
    sh.emit(Buffer.concat([e.subarray(1), Buffer.from('\r\n')]));
    s.resize(100, 40);
    sh.emit('\x1b[1;31mred\x1b[0m');
    s.close('done');
    const info = await finished(env.service, id);

    const text = await env.service.readRecording(id);
    const cast = parseAsciicast(text);
    expect(cast.header).toMatchObject({ version: 2, width: 90, height: 30, title: 'Ada on r1 (lab lab1)' });
    expect(cast.header.timestamp).toBeGreaterThanOrEqual(Math.floor(before / 1000));
    expect(cast.events.map(([, code, data]) => [code, data])).toEqual([
      ['o', '$ echo hé\r\n'],
      ['o', 'h'],
      ['o', 'é\r\n'],
      ['r', '100x40'],
      ['o', '\x1b[1;31mred\x1b[0m'],
    ]);
    const times = cast.events.map(([t]) => t);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times[0]).toBeGreaterThanOrEqual(0);
    expect(info).toMatchObject({ complete: true, bytes: Buffer.byteLength(text) });
    const file = path.join(env.dataDir, 'recordings', `${id}.cast`);
    expect(fs.statSync(file).size).toBe(info.bytes);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('stops at the size cap with a note, and the file stays a valid recording under the cap', async () => {
    env = scriptedService({ recordingLimits: { maxBytes: 4096 } });
    const s = await env.service.open(engineOpen('r1', { record: true }));
    for (let i = 0; i < 200; i++) env.shells[0].emit(`line ${i} ${'x'.repeat(40)}\r\n`);
    s.close('done');
    const info = await finished(env.service, s.info().recordingId!);
    expect(info.bytes).toBeLessThanOrEqual(4096);
    const cast = parseAsciicast(await env.service.readRecording(info.id));
    expect(cast.events.at(-1)![2]).toContain('recording stopped: it reached');
    expect(cast.events.length).toBeGreaterThan(10);
  });

  it('lists recordings of an earlier run after a restart, and refuses ids that are not its own', async () => {
    env = scriptedService();
    const s = await env.service.open(engineOpen('r1', { attendeeName: 'Bob', record: true }));
    env.shells[0].emit('hello');
    s.close('done');
    const info = await finished(env.service, s.info().recordingId!);
    const logs = new LogStore();
    const again = new TerminalService({ labs: { findNode: () => undefined, dialerFor: () => undefined, dockerFor: () => undefined }, settings: new SettingsStore(env.dataDir), dataDir: env.dataDir, log: logs.logger('t') });
    await again.start();
    expect(again.recordings()).toEqual([info]);
    expect(parseAsciicast(await again.readRecording(info.id)).events).toEqual([[expect.any(Number), 'o', 'hello']]);
    await expect(again.readRecording('../settings')).rejects.toMatchObject({ code: 'not_found' });
    await expect(again.readRecording('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
    await again.deleteRecording(info.id);
    expect(again.recordings()).toEqual([]);
    expect(fs.existsSync(path.join(env.dataDir, 'recordings', `${info.id}.cast`))).toBe(false);
    await again.dispose();
    logs.dispose();
  });
});

describe('AsciicastRecorder', () => {
  it('skips output while the disk is behind by more than the bound, and says how much in the recording', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-'));
    const file = path.join(dir, 'x.cast');
    const rec = new AsciicastRecorder({ file, header: { version: 2, width: 80, height: 24 }, maxBytes: 1 << 20, maxPendingBytes: 1000 });
    // All synchronous: nothing reaches the disk in between, so the queue passes the bound.
    for (let i = 0; i < 100; i++) rec.output(Buffer.from('y'.repeat(100)));
    await rec.finish();
    rec.output(Buffer.from('after the end'));
    const cast = parseAsciicast(fs.readFileSync(file, 'utf8'));
    const kept = cast.events.filter(([, , d]) => d === 'y'.repeat(100)).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(100);
    expect(cast.events.at(-1)![2]).toContain(`recording: ${(100 - kept) * 100} bytes of output skipped`);
    expect(cast.events.some(([, , d]) => d === 'after the end')).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
