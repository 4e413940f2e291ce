import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../shared/model';
import { LogStore } from './log-store';

describe('LogStore', () => {
  it('filters by tunnel, minimum level and text, newest last, limited', () => {
    const s = new LogStore();
    s.logger('core').info('starting');
    s.logger('tunnel', 't1').warn('waiting for node r1');
    s.logger('tunnel', 't2').error('relay refused port 40000');
    s.logger('tunnel', 't1').debug('detail');
    expect(s.query({ tunnelId: 't1', limit: 10 }).map((e) => e.message)).toEqual(['waiting for node r1', 'detail']);
    expect(s.query({ level: 'warn', limit: 10 }).map((e) => e.message)).toEqual(['waiting for node r1', 'relay refused port 40000']);
    expect(s.query({ text: 'RELAY', limit: 10 }).map((e) => e.tunnelId)).toEqual(['t2']);
    expect(s.query({ limit: 1 }).map((e) => e.message)).toEqual(['detail']);
  });

  it('batches entries into one appended event', async () => {
    const s = new LogStore({ batchMs: 5 });
    const batches: LogEntry[][] = [];
    s.events.on('appended', (b) => batches.push(b));
    for (let i = 0; i < 100; i++) s.logger('x').info(`m${i}`);
    await new Promise<void>((r) => s.events.on('appended', () => r()));
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(100);
  });

  it('writes JSONL and rotates by size, keeping a bounded number of files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-'));
    const s = new LogStore({ dir, maxFileBytes: 2000, keepFiles: 3 });
    for (let i = 0; i < 200; i++) s.logger('x').info(`entry ${i} ${'y'.repeat(40)}`);
    s.dispose();
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['clab-publisher.jsonl', 'clab-publisher.jsonl.1', 'clab-publisher.jsonl.2']);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(2000);
    const last = fs.readFileSync(path.join(dir, 'clab-publisher.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LogEntry);
    expect(last.at(-1)?.message).toMatch(/^entry 199 /);
  });
});
