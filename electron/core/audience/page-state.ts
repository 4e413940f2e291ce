import type { AudienceSettings } from '../../../shared/audience-model';
import type { AudiencePage, PageNode, PageNodeState, PagePort } from '../../../shared/audience-protocol';
import type { CardPort, ShareCard } from '../../../shared/share-card-model';
import { hasSshConfig } from '../../../shared/share-card-ssh-config';
import { isShareEnded } from '../../../shared/share-model';

export interface PageFacts {
  card: ShareCard;
  attendee: string;
  settings: AudienceSettings;
  /** A node's kind and whether its container runs now (undefined: not known, e.g. its lab host is away). */
  nodeInfo: (node: string) => { kind?: string; running?: boolean };
  watch?: { node: string; since: number };
  now: number;
}

function stateOf(ports: CardPort[], running: boolean | undefined): PageNodeState {
  if (ports.some((p) => p.status === 'online')) return 'online';
  if (ports.some((p) => p.status === 'waiting-for-node')) return 'waiting';
  if (ports.some((p) => p.status === 'starting')) return 'starting';
  // A node shared for its terminal only: its container says it.
  if (!ports.length) return running ? 'online' : 'waiting';
  return 'closed';
}

const pagePort = (p: CardPort): PagePort => {
  const out: PagePort = { port: p.port, service: p.service, status: p.status, user: p.user };
  for (const k of ['address', 'command', 'url', 'note', 'password'] as const) if (p[k] !== undefined) out[k] = p[k];
  return out;
};

/**
 * What an attendee's page shows, from the share's card (the same commands the owner's card
 * has) and the audience settings: the nodes with their ports, and the terminals allowed.
 * Only what is meant for the audience goes in: no rules, no sources, no provider details.
 */
export function pageStateOf(f: PageFacts): AudiencePage {
  const { card } = f;
  const ended = isShareEnded(card.state);
  const names = [...new Set([...card.ports.map((p) => p.node), ...f.settings.terminals.map((t) => t.node)])];
  const nodes: PageNode[] = names.map((name) => {
    const ports = card.ports.filter((p) => p.node === name);
    const grant = f.settings.terminals.find((t) => t.node === name);
    const info = f.nodeInfo(name);
    const node: PageNode = { name, kind: ports[0]?.kind ?? info.kind ?? '', state: ended ? 'expired' : stateOf(ports, info.running), ports: ports.map(pagePort) };
    if (grant) node.terminal = grant.via;
    return node;
  });
  const page: AudiencePage = {
    title: card.title,
    attendee: f.attendee,
    state: card.state,
    serverNow: f.now,
    nodes,
    // Like the card: no ssh_config section until some SSH port of the share has an address.
    sshConfig: hasSshConfig(card) ? card.sshConfig : '',
    limits: { maxSessions: f.settings.maxSessions, idleTimeoutMin: f.settings.idleTimeoutMin },
  };
  if (card.expiresAt !== undefined) page.expiresAt = card.expiresAt;
  if (card.endedAt !== undefined) page.endedAt = card.endedAt;
  if (f.watch && !ended) page.watch = f.watch;
  return page;
}

/** The node port the app's SSH terminal dials: the node's shared SSH port, else 22. */
export function sshPortOf(card: ShareCard, node: string): number {
  return card.ports.find((p) => p.node === node && p.service === 'SSH')?.port ?? 22;
}
