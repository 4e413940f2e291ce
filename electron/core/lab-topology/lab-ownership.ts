/**
 * Whose lab it is. On a shared lab server every user's labs are in the one Docker: their
 * topology files' `publish:` entries are published automatically only for labs the user
 * running the app deployed, or labs the user opted in to (per lab, for that lab's owner).
 *
 * containerlab labels each node with `clab-owner` (since v0.57): the user who ran it, or
 * SUDO_USER under sudo (docs/containerlab.md, "Labels"). "You" is the user the app runs as
 * on that host: this computer's user (and SUDO_USER when the app itself runs under sudo), or
 * the SSH login of a remote lab host. Without the label (older containerlab) a local lab is
 * yours when its topology file is; a remote one cannot be told and needs the opt-in.
 */
import os from 'node:os';
import type { LabOwnership } from '../../../shared/topology-model';

export interface OwnershipFacts {
  /** The lab's `clab-owner` label, when it has one. */
  owner?: string;
  /** The names "you" go by on the lab's host; empty when unknown. */
  me: string[];
  /** Without the label, on this computer: whether the topology file belongs to this process's user. */
  fileIsMine?: boolean;
  /** The owner the user opted in to, per lab settings ('' for "no owner label"). */
  optedInOwner?: string;
}

export function labOwnership(f: OwnershipFacts): LabOwnership {
  const optedIn = f.optedInOwner !== undefined && f.optedInOwner === (f.owner ?? '');
  const you = f.me.length ? f.me.join(' or ') : undefined;
  if (f.owner !== undefined) {
    if (f.me.includes(f.owner)) return { mine: true, optedIn: false, reason: `deployed by you (${f.owner})` };
    return { mine: false, optedIn, reason: `deployed by ${f.owner}${you ? `, not by you (${you})` : '; the user you are on that host is unknown'}` };
  }
  if (f.fileIsMine) return { mine: true, optedIn: false, reason: 'no clab-owner label (containerlab before 0.57); its topology file is yours' };
  const why = f.fileIsMine === false ? 'its topology file belongs to another user' : 'who deployed it cannot be told';
  return { mine: false, optedIn, reason: `no clab-owner label (containerlab before 0.57), and ${why}` };
}

/** The names this process's user goes by here: its own, and the sudo user's when run under sudo. */
export function localUserNames(env: NodeJS.ProcessEnv = process.env): string[] {
  const names: string[] = [];
  try {
    names.push(os.userInfo().username);
  } catch {
    // no passwd entry for this uid (some containers): the environment may still say
    if (env.USER) names.push(env.USER);
  }
  if (env.SUDO_USER && !names.includes(env.SUDO_USER)) names.push(env.SUDO_USER);
  return names;
}

/** The login user of a remote lab host's `ssh://user@host:port` address. */
export function sshLoginUser(address: string | undefined): string | undefined {
  if (!address) return undefined;
  try {
    return decodeURIComponent(new URL(address).username) || undefined;
  } catch {
    return undefined;
  }
}
