/**
 * Checks what the owner asked for against what exists (the lab, its published ports, other
 * shares, the clock) and turns it into share fields. Every refusal names the field and says
 * what to do; nothing here changes state.
 */
import type { Publication } from '../../../shared/model';
import { AppError } from '../../../shared/rpc-errors';
import { presetExpiry, sharePortKey, type ExpiryPreset, type SharePort } from '../../../shared/share-model';
import { formatWhen } from '../../../shared/share-time';
import { AllowList } from './allow-list';
import type { StoredShare } from './share-store';

/** Longest a share can be set to stay open (a year): anything longer is a typo. */
const MAX_AHEAD_MS = 366 * 24 * 3600_000;

export type Until = ExpiryPreset | 'never' | number;

/** Epoch ms from a preset or time; undefined for `never`. Refuses the past and the absurd. */
export function expiryFrom(until: Until, now: number, field = 'until'): number | undefined {
  if (until === 'never') return undefined;
  const at = typeof until === 'number' ? until : presetExpiry(until, now);
  if (at <= now) {
    throw new AppError('invalid_params', `the expiry ${formatWhen(at)} is in the past (now ${formatWhen(now)})`, 'choose a later time, a preset (1h, 4h, endOfDay, 1d, 1w) or "never"', field);
  }
  if (at - now > MAX_AHEAD_MS) throw new AppError('invalid_params', `the expiry ${formatWhen(at)} is more than a year away`, 'choose a nearer time, or "never" to share until you stop it', field);
  return at;
}

export interface PortWish {
  node: string;
  port: number;
  allow?: string[];
}

export interface ResolvedPorts {
  ports: SharePort[];
  /** The publications of those ports, same order. */
  pubs: Publication[];
}

/**
 * The share's ports: the ones named (each must be published in this lab) or, with none named,
 * every port the lab publishes. Per-port rules are compiled here, so a bad CIDR is refused
 * before anything is saved.
 */
export function resolvePorts(o: {
  host: string;
  lab: string;
  wishes: PortWish[] | undefined;
  publications: Publication[];
  kindOf: (node: string) => string | undefined;
  previous?: SharePort[];
  providerKind: (id: string) => string;
}): ResolvedPorts {
  const mine = o.publications.filter((p) => p.host === o.host && p.lab === o.lab);
  const wishes: PortWish[] = o.wishes ?? mine.map((p) => ({ node: p.node, port: p.port }));
  if (!wishes.length) throw new AppError('invalid_params', `lab ${o.lab} has no published ports to share`, 'publish a port of the lab first (click a port chip), then share the lab', 'ports');
  const seen = new Set<string>();
  const ports: SharePort[] = [];
  const pubs: Publication[] = [];
  wishes.forEach((w, i) => {
    const key = sharePortKey(w.node, w.port);
    if (seen.has(key)) throw new AppError('invalid_params', `ports[${i}]: ${key} is named twice`, 'name each node port once', `ports.${i}`);
    seen.add(key);
    const pub = mine.find((p) => p.node === w.node && p.port === w.port);
    if (!pub) {
      const published = mine.map((p) => sharePortKey(p.node, p.port));
      throw new AppError('invalid_params', `ports[${i}]: ${key} of lab ${o.lab} is not published`, published.length ? `publish it first, or share one of: ${published.join(', ')}` : 'publish it first (click its port chip)', `ports.${i}`);
    }
    if (w.allow?.length) {
      new AllowList(w.allow, `ports.${i}.allow`);
      if (o.providerKind(pub.provider) === 'border0') {
        throw new AppError('invalid_params', `ports[${i}]: ${key} is published through border0, which checks identities, not source addresses`, 'leave its source rules empty and use the publication\'s border0 access list (emails, domains or policies)', `ports.${i}.allow`);
      }
    }
    const before = o.previous?.find((p) => p.node === w.node && p.port === w.port);
    const port: SharePort = { node: w.node, port: w.port, kind: o.kindOf(w.node) ?? before?.kind ?? 'linux' };
    if (w.allow !== undefined) port.allow = [...w.allow];
    if (before?.lastEndpoint) port.lastEndpoint = before.lastEndpoint;
    ports.push(port);
    pubs.push(pub);
  });
  return { ports, pubs };
}

/** One node port belongs to one share at a time (an ended share keeps its ports until removed). */
export function checkNotShared(o: { host: string; lab: string; ports: SharePort[]; shares: StoredShare[]; except?: string }): void {
  for (const [i, p] of o.ports.entries()) {
    const other = o.shares.find((s) => s.id !== o.except && s.host === o.host && s.lab === o.lab && s.ports.some((q) => q.node === p.node && q.port === p.port));
    if (!other) continue;
    const ended = other.revokedAt !== undefined || other.expiredAt !== undefined;
    throw new AppError(
      'conflict',
      `${sharePortKey(p.node, p.port)} is already in share "${other.title}"${ended ? ', which has ended but still holds its ports closed' : ''}`,
      ended ? `extend or remove share "${other.title}" first` : `add people to share "${other.title}" instead, or remove the port from it first`,
      `ports.${i}`,
    );
  }
}
