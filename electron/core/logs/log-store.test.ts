import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogEntry, LogFileStatus } from '../../../shared/model';
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

  it('writes JSONL and rotates by size, keeping a bounded number of files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-'));
    const s = new LogStore({ dir, maxFileBytes: 2000, keepFiles: 3 });
    for (let i = 0; i < 200; i++) s.logger('x').info(`entry ${i} ${'y'.repeat(40)}`);
    await s.dispose();
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['clab-publisher.jsonl', 'clab-publisher.jsonl.1', 'clab-publisher.jsonl.2']);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(2000);
    const last = fs.readFileSync(path.join(dir, 'clab-publisher.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LogEntry);
    expect(last.at(-1)?.message).toMatch(/^entry 199 /);
  });

  describe('when the file cannot be written', () => {
    const make = () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-'));
      const store = new LogStore({ dir, batchMs: 5 });
      const statuses: LogFileStatus[] = [];
      store.events.on('status', (st) => statuses.push(st));
      return { dir, store, statuses, file: path.join(dir, 'clab-publisher.jsonl') };
    };

    it('never throws; counts what was not written and warns once, not once per entry', async () => {
      const { dir, store, statuses, file } = make();
      store.logger('x').info('before');
      await store.written();
      fs.rmSync(dir, { recursive: true, force: true }); // the folder gone under a running core
      for (let i = 0; i < 50; i++) expect(() => store.logger('x').info(`lost ${i}`)).not.toThrow();
      await store.written();
      store.flush();
      const warnings = store.query({ level: 'warn', limit: 100 });
      expect(warnings.map((e) => e.message)).toEqual([`cannot write the log file ${file} (ENOENT: no such file or directory, open '${file}'): entries stay in memory only, counted, until it works again`]);
      expect(store.fileStatus()).toMatchObject({ file, unwritten: 51, problem: expect.stringContaining('ENOENT') });
      expect(statuses.at(-1)).toEqual(store.fileStatus());
      // Every entry is still there to see.
      expect(store.query({ text: 'lost', limit: 100 })).toHaveLength(50);
      await store.dispose();
    });

    it('says once when the file takes entries again, and writes from there on', async () => {
      const { dir, store, file } = make();
      fs.rmSync(dir, { recursive: true, force: true });
      store.logger('x').info('lost');
      await store.written();
      fs.mkdirSync(dir);
      store.logger('x').info('kept');
      await store.written();
      expect(store.query({ level: 'info', text: 'takes entries again', limit: 5 }).map((e) => e.message)).toEqual([`the log file ${file} takes entries again; 2 were not written to it (see the logs view while clab-publisher runs)`]);
      expect(store.fileStatus()).toEqual({ file, unwritten: 2 });
      const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as LogEntry).message);
      expect(lines).toContain('kept');
      await store.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('takes entries after dispose without writing or throwing (work that outlives the core)', async () => {
      const { dir, store, file } = make();
      await store.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
      expect(() => store.logger('late').warn('a scan that ended after dispose')).not.toThrow();
      await store.written();
      expect(fs.existsSync(file)).toBe(false);
      expect(store.fileStatus().unwritten).toBe(0);
    });
  });
});
