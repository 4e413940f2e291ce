import { algorithmOf, fingerprintOf } from '../ssh/host-key-store';
import type { SettingsStore } from '../settings/settings-store';

const SETTINGS_KEY = 'nodeHostKeys';

/** One node's SSH host key as first seen, and which container presented it. */
interface NodeKey {
  algorithm: string;
  fingerprint: string;
  containerId: string;
  firstSeen: number;
}

export interface NodeKeyRef {
  host: string;
  lab: string;
  node: string;
  port: number;
  /** The node's container now: a new one (lab redeployed) makes new host keys legitimately. */
  containerId: string;
}

export type NodeKeyVerdict =
  | { ok: true; fingerprint: string; recorded: 'first-use' | 'new-container' | false }
  | { ok: false; fingerprint: string; expected: string; message: string; hint: string };

/**
 * SSH host keys of lab nodes, for terminals the app opens to them. Nobody can answer a prompt
 * there (an attendee must not decide what the owner trusts), so the first key a node presents
 * is recorded (trust on first use) and a different key later is refused with both
 * fingerprints. Keys are per node and port and remember the node's container: a redeployed
 * node is a new container with new keys, which is a first use again, not an attack; within
 * one container a changed key is. `forget` clears a node's key after the owner checked why.
 */
export class NodeHostKeys {
  constructor(private readonly settings: SettingsStore) {}

  check(ref: NodeKeyRef, keyBlob: Buffer): NodeKeyVerdict {
    const fingerprint = fingerprintOf(keyBlob);
    const id = keyId(ref);
    const known = this.all()[id];
    if (known && known.containerId === ref.containerId) {
      if (known.fingerprint === fingerprint) return { ok: true, fingerprint, recorded: false };
      return {
        ok: false,
        fingerprint,
        expected: known.fingerprint,
        message: `the SSH host key of node ${ref.node} (lab ${ref.lab}) changed: it presented ${fingerprint}, recorded was ${known.fingerprint}`,
        hint: 'Someone may be in between, or the node got new host keys. Check on the node (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub); if the change is expected, the owner forgets the recorded key in the Terminals view.',
      };
    }
    this.save({ ...this.all(), [id]: { algorithm: algorithmOf(keyBlob), fingerprint, containerId: ref.containerId, firstSeen: Date.now() } });
    return { ok: true, fingerprint, recorded: known ? 'new-container' : 'first-use' };
  }

  forget(ref: Omit<NodeKeyRef, 'containerId' | 'port'>): number {
    const all = this.all();
    const prefix = `${ref.host}/${ref.lab}/${ref.node}:`;
    const gone = Object.keys(all).filter((k) => k.startsWith(prefix));
    for (const k of gone) delete all[k];
    if (gone.length) this.save(all);
    return gone.length;
  }

  private all(): Record<string, NodeKey> {
    return { ...this.settings.get<Record<string, NodeKey>>(SETTINGS_KEY, {}) };
  }

  private save(all: Record<string, NodeKey>): void {
    this.settings.set(SETTINGS_KEY, all);
  }
}

const keyId = (r: NodeKeyRef) => `${r.host}/${r.lab}/${r.node}:${r.port}`;
