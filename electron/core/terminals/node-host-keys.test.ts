import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsStore } from '../settings/settings-store';
import { NodeHostKeys } from './node-host-keys';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** An SSH public key blob: string type name, then bytes. */
const blob = (type: string, seed: number) => {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, Buffer.alloc(32, seed)]);
};

function store() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-keys-'));
  dirs.push(dir);
  return { keys: new NodeHostKeys(new SettingsStore(dir)), dir };
}

const ref = { host: 'local', lab: 'demo', node: 'r1', port: 22, containerId: 'c1' };

describe('NodeHostKeys', () => {
  it('records the first key, accepts it again, refuses a different one from the same container with both fingerprints', () => {
    const { keys, dir } = store();
    const first = keys.check(ref, blob('ssh-ed25519', 1));
    expect(first).toMatchObject({ ok: true, recorded: 'first-use' });
    expect(keys.check(ref, blob('ssh-ed25519', 1))).toMatchObject({ ok: true, recorded: false });
    const changed = keys.check(ref, blob('ssh-ed25519', 2));
    expect(changed).toMatchObject({ ok: false, expected: first.fingerprint });
    expect(changed.ok || changed.message).toContain(`presented ${changed.fingerprint}, recorded was ${first.fingerprint}`);
    // Refusing stored nothing: the recorded key is still the first.
    expect(keys.check(ref, blob('ssh-ed25519', 1)).ok).toBe(true);
    // Persisted in settings, so a restart keeps refusing.
    expect(new NodeHostKeys(new SettingsStore(dir)).check(ref, blob('ssh-ed25519', 2)).ok).toBe(false);
  });

  it('a new container of the node (redeployed) is a first use again; other nodes and ports are separate', () => {
    const { keys } = store();
    keys.check(ref, blob('ssh-ed25519', 1));
    expect(keys.check({ ...ref, containerId: 'c2' }, blob('ssh-ed25519', 2))).toMatchObject({ ok: true, recorded: 'new-container' });
    expect(keys.check({ ...ref, containerId: 'c2' }, blob('ssh-ed25519', 1)).ok).toBe(false);
    expect(keys.check({ ...ref, node: 'r2' }, blob('ssh-rsa', 3))).toMatchObject({ ok: true, recorded: 'first-use' });
    expect(keys.check({ ...ref, port: 2222 }, blob('ssh-rsa', 3))).toMatchObject({ ok: true, recorded: 'first-use' });
  });

  it('forget clears every port of that node only', () => {
    const { keys } = store();
    keys.check(ref, blob('ssh-ed25519', 1));
    keys.check({ ...ref, port: 830 }, blob('ssh-ed25519', 1));
    keys.check({ ...ref, node: 'r10' }, blob('ssh-ed25519', 1));
    expect(keys.forget({ host: 'local', lab: 'demo', node: 'r1' })).toBe(2);
    expect(keys.check(ref, blob('ssh-ed25519', 2))).toMatchObject({ ok: true, recorded: 'first-use' });
    expect(keys.check({ ...ref, node: 'r10' }, blob('ssh-ed25519', 2)).ok).toBe(false);
  });
});
