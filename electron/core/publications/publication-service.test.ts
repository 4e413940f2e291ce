import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { methods } from '../../../shared/contract';
import type { LabHostStatus } from '../../../shared/model';
import { AppError } from '../../../shared/rpc-errors';
import { LogStore } from '../logs/log-store';
import { LocalProvider } from '../providers/local-provider';
import { ProviderRegistry } from '../providers/provider-registry';
import { createDispatcher } from '../rpc/dispatch';
import { SettingsStore } from '../settings/settings-store';
import { PublicationService } from './publication-service';

/** The one lab host these tests publish on. */
const localOnly = { hosts: () => [{ id: 'local' }] as LabHostStatus[] };

const addParams = (over: Record<string, unknown> = {}) => methods['publications.add'].params.parse({ lab: 'lab1', node: 'r1', port: 22, type: 'tcp', ...over });

describe('PublicationService', () => {
  let dir: string;
  let svc: PublicationService;
  const make = async () => {
    const settings = new SettingsStore(dir);
    const log = new LogStore().logger('t');
    const providers = new ProviderRegistry([new LocalProvider({ settings, log })]);
    await providers.start();
    const s = new PublicationService({ settings, providers, labs: localOnly, log });
    await s.start();
    return s;
  };
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pubs-'));
    svc = await make();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('remembers the port a provider chose, quietly, for the next start; never over a port the user asked for', async () => {
    const p = svc.add(addParams());
    const fixed = svc.add(addParams({ node: 'r2', publicPort: 4000 }));
    let events = 0;
    svc.onChanged(() => events++);
    svc.rememberPort(p.id, 41234);
    svc.rememberPort(fixed.id, 41235);
    expect(events).toBe(0); // what is published did not change: no reconcile
    svc.dispose(); // writes the remembered port that was still due
    const again = await make();
    expect(again.get(p.id).lastPublicPort).toBe(41234);
    expect(again.get(fixed.id).publicPort).toBe(4000);
    expect(again.get(fixed.id)).not.toHaveProperty('lastPublicPort');
  });

  it('ports remembered in a burst (a thousand tunnels coming online) are one settings write, soon after', async () => {
    const pubs = Array.from({ length: 50 }, (_, i) => svc.add(addParams({ node: `r${i}` })));
    vi.useFakeTimers();
    try {
      const set = vi.spyOn(SettingsStore.prototype, 'set');
      pubs.forEach((p, i) => svc.rememberPort(p.id, 42000 + i));
      expect(set).not.toHaveBeenCalled();
      vi.advanceTimersByTime(250);
      expect(set).toHaveBeenCalledTimes(1);
      set.mockRestore();
    } finally {
      vi.useRealTimers();
    }
    const again = await make();
    expect(pubs.map((p) => again.get(p.id).lastPublicPort)).toEqual(pubs.map((_, i) => 42000 + i));
  });

  it('a remembered port that cannot be written (the folder is gone) is logged, not thrown from its timer', async () => {
    const p = svc.add(addParams({ node: 'gone' }));
    vi.useFakeTimers();
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      svc.rememberPort(p.id, 43000);
      expect(() => vi.advanceTimersByTime(250)).not.toThrow();
    } finally {
      vi.useRealTimers();
    }
  });

  it('batch(): many changes are one settings write and one change event, also when one throws', async () => {
    const settings = new SettingsStore(dir);
    const log = new LogStore().logger('t');
    const providers = new ProviderRegistry([new LocalProvider({ settings, log })]);
    await providers.start();
    const s = new PublicationService({ settings, providers, labs: localOnly, log });
    await s.start();
    const writes: unknown[] = [];
    const set = settings.set.bind(settings);
    settings.set = (k, v) => (writes.push(k), set(k, v));
    const events: number[] = [];
    s.onChanged((items) => events.push(items.length));
    s.batch(() => {
      for (let port = 1; port <= 50; port++) s.add(addParams({ port }));
      s.batch(() => s.remove(s.list()[0].id)); // nested: joins the outer batch
      expect(events).toEqual([]); // nothing announced mid-way
    });
    expect(events).toEqual([49]);
    expect(writes).toEqual(['publications']);
    expect(() => s.batch(() => (s.add(addParams({ port: 99 })), s.add(addParams({ port: 99 }))))).toThrow(/already published/);
    expect(events).toEqual([49, 50]); // what was done before the error is saved
    expect((await make()).list()).toHaveLength(50);
  });

  it('adds with defaults and persists across restarts', async () => {
    const p = svc.add(addParams());
    expect(p).toMatchObject({ host: 'local', provider: 'local', access: [], origin: 'ui' });
    const again = await make();
    expect(again.list()).toEqual([p]);
    expect((fs.statSync(path.join(dir, 'settings.json')).mode & 0o777).toString(8)).toBe('600');
  });

  it('refuses a node port published twice, naming the existing publication, and changes nothing', () => {
    const p = svc.add(addParams());
    const before = svc.list();
    expect(() => svc.add(addParams({ type: 'tls' }))).toThrow(new RegExp(`already published as clab-r1-tcp-22 \\(id ${p.id}`));
    expect(svc.list()).toEqual(before);
  });

  it('never publishes open what was asked to be restricted', () => {
    let err: AppError | undefined;
    try {
      svc.add(addParams({ access: ['alice@example.com'] }));
    } catch (e) {
      err = e as AppError;
    }
    expect(err?.code).toBe('refused');
    expect(err?.field).toBe('access');
    expect(svc.list()).toEqual([]);
  });

  it('removes, and says so when the id is unknown', () => {
    const p = svc.add(addParams());
    svc.remove(p.id);
    expect(svc.list()).toEqual([]);
    expect(() => svc.remove(p.id)).toThrow(/no publication with id/);
  });

  describe('when the disk is full', () => {
    const file = () => path.join(dir, 'settings.json');
    /** Every write fails as on a full disk, until the returned undo. */
    const fillDisk = () =>
      vi.spyOn(fs, 'writeSync').mockImplementation(() => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      });
    const diskFull = () => `disk full: cannot save the settings to ${file()} (no space left on the device); nothing was changed`;
    afterEach(() => vi.restoreAllMocks());

    it('an add answers "disk full", changes nothing (in memory, on disk, no event) and leaves no temporary file', async () => {
      const kept = svc.add(addParams());
      const onDisk = fs.readFileSync(file(), 'utf8');
      let events = 0;
      svc.onChanged(() => events++);
      fillDisk();
      const dispatch = createDispatcher({ 'publications.add': (p: never) => svc.add(p) } as never, new LogStore().logger('t'));
      expect(await dispatch('publications.add', { lab: 'lab1', node: 'r2', port: 22, type: 'tcp' })).toEqual({
        ok: false,
        error: { code: 'unavailable', message: diskFull(), hint: 'free some space on the disk that holds the data folder, then try again' },
      });
      expect(() => svc.remove(kept.id)).toThrow(diskFull());
      expect(svc.list()).toEqual([kept]);
      expect(events).toBe(0);
      expect(fs.readFileSync(file(), 'utf8')).toBe(onDisk);
      expect(fs.readdirSync(dir)).toEqual(['settings.json']);
      vi.restoreAllMocks();
      expect(svc.add(addParams({ node: 'r2' }))).toMatchObject({ node: 'r2' });
    });

    it('a batch whose one save fails is undone whole', () => {
      svc.add(addParams());
      const before = svc.list();
      fillDisk();
      expect(() => svc.batch(() => [1, 2, 3].forEach((port) => svc.add(addParams({ node: 'r9', port }))))).toThrow(diskFull());
      expect(svc.list()).toEqual(before);
    });
  });
});

describe('dispatch', () => {
  const calls: unknown[] = [];
  const handlers = new Proxy({}, { get: () => (p: unknown) => (calls.push(p), 'ok') });
  const dispatch = createDispatcher(handlers as never, new LogStore().logger('t'));

  it('names the bad field and never calls the handler', async () => {
    const env = await dispatch('publications.add', { lab: 'lab1', node: 'r1', port: 70000, type: 'tcp' });
    expect(env.ok).toBe(false);
    if (env.ok) return;
    expect(env.error).toMatchObject({ code: 'invalid_params', field: 'port' });
    expect(env.error.message).toMatch(/"port"/);
    expect(calls).toEqual([]);
  });

  it('refuses unknown fields, unknown methods and bad names', async () => {
    const extra = await dispatch('labs.list', { evil: true });
    expect(extra.ok).toBe(false);
    const unknown = await dispatch('system.exec', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'method_not_found' } });
    const proto = await dispatch('__proto__', {});
    expect(proto).toMatchObject({ ok: false, error: { code: 'method_not_found' } });
    const badName = await dispatch('publications.add', { lab: '../etc', node: 'r1', port: 22, type: 'tcp' });
    expect(badName).toMatchObject({ ok: false, error: { field: 'lab' } });
    expect(calls).toEqual([]);
  });

  it('passes parsed parameters with defaults to the handler', async () => {
    const env = await dispatch('publications.add', { lab: 'lab1', node: 'r1', port: 22, type: 'tcp' });
    expect(env).toEqual({ ok: true, result: 'ok' });
    expect(calls.pop()).toEqual({ host: 'local', lab: 'lab1', node: 'r1', port: 22, type: 'tcp', provider: 'local', access: [] });
  });
});
