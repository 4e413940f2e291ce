import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { AudiencePageInfo } from '../../../shared/audience-model';
import type { TunnelEndpoint } from '../../../shared/model';
import type { Logger } from '../logs/logger';
import type { Forward, ForwardStatus } from '../providers/provider';
import type { ProviderRegistry } from '../providers/provider-registry';
import { parsePeer } from '../shares/allow-list';
import { pipeConnection } from '../tunnels/connection-pipe';
import type { PageOrigin } from './page-server';

/** How a share's page goes out: the provider (and border0 identity list) of the share's ports. */
export interface PageRoute {
  provider: string;
  access: string[];
  accessKind?: 'emails-domains' | 'policies';
  lab: string;
  /** The public port it had before, asked for again (links people hold keep working). */
  preferredPort?: number;
}

interface Published {
  route: PageRoute;
  forward: Forward;
  info: AudiencePageInfo;
  conns: Set<Duplex>;
}

export interface PagePublisherDeps {
  providers: ProviderRegistry;
  /** The loopback port of the page listener. */
  listenerPort: () => number;
  /** The share's source rules, before a byte reaches the page. */
  admit: (shareId: string, from: string, providerId: string) => { allowed: boolean; reason?: string };
  /** The page's state or address changed; `chosenPort` is the public port a self-hosted provider picked. */
  changed: (shareId: string, info: AudiencePageInfo, chosenPort?: number) => void;
  log: Logger;
}

/** `https://name` behind border0's HTTP proxy, `http://host:port` on a listener or the relay. */
export function pageLink(providerKind: string, ep: TunnelEndpoint): string {
  const host = ep.dnsName || ep.host;
  if (providerKind === 'border0') return `https://${host}`;
  return `http://${host.includes(':') ? `[${host}]` : host}:${ep.port}`;
}

/**
 * Publishes each share's audience page through the share's own provider, like any http
 * port, except that the far end is the app's page listener instead of a lab node: the
 * provider hands over each public connection, the share's source rules judge it, and it is
 * piped to the listener over loopback. Nothing here depends on where the lab runs: a share
 * of a remote lab host's lab is served from this computer all the same. The listener learns
 * who is behind each piped connection from `originOf` (keyed by the loopback port).
 */
export class PagePublisher {
  private readonly pages = new Map<string, Published>();
  private readonly origins = new Map<number, PageOrigin>();

  constructor(private readonly deps: PagePublisherDeps) {}

  /** Opens, keeps, re-routes or closes a share's page (`route` undefined: no page wanted). */
  want(shareId: string, route: PageRoute | undefined): void {
    const now = this.pages.get(shareId);
    if (now && route && sameRoute(now.route, route)) return;
    if (now) this.close(shareId);
    if (route) this.open(shareId, route);
  }

  info(shareId: string): AudiencePageInfo {
    return this.pages.get(shareId)?.info ?? { state: 'off' };
  }

  originOf(localPort: number): PageOrigin | undefined {
    return this.origins.get(localPort);
  }

  shares(): string[] {
    return [...this.pages.keys()];
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.pages.keys()].map((id) => this.close(id)));
  }

  private open(shareId: string, route: PageRoute): void {
    let provider;
    try {
      provider = this.deps.providers.get(route.provider);
    } catch {
      this.deps.changed(shareId, { state: 'failed', provider: route.provider, reason: `provider ${route.provider} is not configured` });
      return;
    }
    const kind = provider.info().kind;
    const entry: Published = { route, forward: { close: async () => undefined }, info: { state: 'connecting', provider: route.provider }, conns: new Set() };
    this.pages.set(shareId, entry);
    const node = `page-${shareId.slice(0, 8)}`;
    entry.forward = provider.open(
      { tunnelId: `audience-page:${shareId}`, name: `clab-${node}-http-80`, lab: route.lab, node, port: 80, type: 'http', access: route.access, accessKind: route.accessKind, preferredPort: route.preferredPort },
      {
        onConnection: (sock, from) => this.accept(shareId, route.provider, entry, sock, from),
        onStatus: (s) => this.status(shareId, entry, kind, s),
      },
    );
    this.deps.changed(shareId, entry.info);
  }

  private async close(shareId: string): Promise<void> {
    const p = this.pages.get(shareId);
    if (!p) return;
    this.pages.delete(shareId);
    // Cut a moment later, so a page's last words (the close frame saying why) get out first.
    for (const c of p.conns) setTimeout(() => c.destroy(), 500).unref();
    this.deps.changed(shareId, { state: 'off' });
    await p.forward.close().catch((err: Error) => this.deps.log.warn(`closing the audience page of share ${shareId}: ${err.message}`));
  }

  private status(shareId: string, entry: Published, kind: string, s: ForwardStatus): void {
    if (this.pages.get(shareId) !== entry) return;
    const base = { provider: entry.route.provider };
    if (s.state === 'online') {
      entry.info = { ...base, state: 'online', link: pageLink(kind, s.endpoint) };
      this.deps.log.info(`audience page of share ${shareId} is online at ${entry.info.link}`, { share: shareId });
      this.deps.changed(shareId, entry.info, kind === 'border0' ? undefined : s.endpoint.port);
      return;
    }
    // While it reconnects the address people hold stays the page's address.
    entry.info = { ...base, state: s.state, link: s.state === 'reconnecting' ? entry.info.link : undefined, reason: s.reason };
    if (s.state === 'failed') this.deps.log.warn(`audience page of share ${shareId} cannot be published: ${s.reason}`, { share: shareId });
    this.deps.changed(shareId, entry.info);
  }

  private accept(shareId: string, providerId: string, entry: Published, sock: Duplex, from: string): void {
    sock.on('error', () => sock.destroy());
    if (this.pages.get(shareId) !== entry) return void sock.destroy();
    const verdict = this.deps.admit(shareId, from, providerId);
    if (!verdict.allowed) {
      this.deps.log.warn(`audience page connection from ${from} refused: ${verdict.reason}`, { share: shareId, from, refused: true });
      return void sock.destroy();
    }
    entry.conns.add(sock);
    sock.once('close', () => entry.conns.delete(sock));
    const upstream = net.connect({ host: '127.0.0.1', port: this.deps.listenerPort(), noDelay: true });
    upstream.on('error', () => sock.destroy());
    upstream.once('connect', () => {
      // The visitor gave up while the listener was being dialled.
      if (sock.destroyed) return void upstream.destroy();
      const local = upstream.localPort!;
      this.origins.set(local, { shareId, from, address: parsePeer(from).address });
      pipeConnection(sock, upstream, () => undefined, () => this.origins.delete(local));
    });
  }
}

const sameRoute = (a: PageRoute, b: PageRoute) => a.provider === b.provider && a.lab === b.lab && a.accessKind === b.accessKind && a.access.join('\n') === b.access.join('\n');
