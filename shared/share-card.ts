/**
 * The share card: what an audience needs, derived from a share and its ports. Pure, so the
 * owner's UI, the `share-card` CLI and the audience page build the same card.
 */
import { commandFor, hostPort, isSshCapable, serviceOf, viaBorder0Client } from './share-card-commands';
import type { CardInput, CardPort, CardPortInput, CardQr, Exposure, ShareCard } from './share-card-model';
import { cardMarkdown } from './share-card-text';
import { sshConfigText } from './share-card-ssh-config';

const LOOPBACK = /^(127\.|::1$|localhost$|::ffff:127\.)/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

function exposureOf(p: CardPortInput, host: string | undefined): Exposure {
  if (viaBorder0Client(p)) return 'identity';
  if (p.rulesEnforced && p.rules.length > 0) return 'restricted';
  if (host && isLoopbackHost(host)) return 'loopback';
  return 'open';
}

/** `<lab>-<node>` for a node's SSH port, `<lab>-<node>-<port>` for any further one. */
function aliasFor(lab: string, p: CardPortInput, taken: Set<string>): string {
  const base = `${lab}-${p.node}`;
  const alias = taken.has(base) ? `${base}-${p.port}` : base;
  taken.add(alias);
  return alias;
}

function cardPort(input: CardInput, p: CardPortInput, aliases: Set<string>): CardPort {
  const service = serviceOf(p);
  const ep = p.endpoint;
  const host = ep ? ep.dnsName || ep.host : undefined;
  const out: CardPort = {
    node: p.node,
    kind: p.kind,
    port: p.port,
    service,
    status: p.status,
    user: p.user,
    exposure: exposureOf(p, ep?.host),
    rules: p.rules,
  };
  if (input.includeCredentials && p.password) out.password = p.password;
  if (isSshCapable(service) && p.type !== undefined) out.sshAlias = aliasFor(input.lab, p, aliases);
  if (ep && host) {
    out.address = hostPort(host, ep.port);
    const cmd = commandFor(service, { ...p, password: out.password }, host, ep.port);
    if (cmd.command) out.command = cmd.command;
    if (cmd.url) out.url = cmd.url;
    if (cmd.note) out.note = cmd.note;
  }
  if (p.status === 'not-published') out.note = 'not published at the moment';
  else if (p.status === 'closed' && input.state !== 'expired' && input.state !== 'revoked') out.note = 'closed at the moment';
  else if (p.status === 'waiting-for-node') out.note = 'the node is not running right now';
  return out;
}

/**
 * The QR codes: the share's browser links and primary address. The share's page is not one of
 * them: its address alone opens nothing (each attendee has a personal link with its own QR
 * code, shown to the owner when it is made and on the attendee's page).
 */
function qrCodes(ports: CardPort[]): CardQr[] {
  const out: CardQr[] = ports.filter((p) => p.url).map((p) => ({ label: `${p.node} ${p.service}`, text: p.url! }));
  const primary = ports.find((p) => p.address && !p.url);
  if (primary) {
    const ssh = primary.service === 'SSH' && primary.address && !primary.note?.includes('border0');
    out.unshift({ label: `${primary.node} ${primary.service}`, text: ssh ? `ssh://${primary.user}@${primary.address}` : primary.address! });
  }
  return out;
}

export function buildShareCard(input: CardInput, now = Date.now()): ShareCard {
  const aliases = new Set<string>();
  const ports = input.ports.map((p) => cardPort(input, p, aliases));
  const base = {
    shareId: input.shareId,
    title: input.title,
    host: input.host,
    lab: input.lab,
    state: input.state,
    expiresAt: input.expiresAt,
    endedAt: input.endedAt,
    link: input.link,
    includeCredentials: input.includeCredentials,
    ports,
  };
  const sshConfig = sshConfigText(base, now);
  const qr = qrCodes(ports);
  const card: ShareCard = { ...base, sshConfig, qr, markdown: '' };
  card.markdown = cardMarkdown(card, now);
  return card;
}
