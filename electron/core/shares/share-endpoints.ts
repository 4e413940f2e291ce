import type { Publication, Tunnel } from '../../../shared/model';
import type { StoredShare } from './share-store';

/**
 * Notes each shared port's public address whenever its tunnel is online, so the card (and the
 * `share-card` CLI reading the data folder) still shows the address people were given while the
 * port is closed. Returns `shares` itself when nothing moved (no save).
 */
export function syncEndpoints(shares: StoredShare[], pubs: readonly Publication[], tunnels: readonly Tunnel[]): StoredShare[] {
  let changed = false;
  const next = shares.map((s) => {
    let mine = false;
    const ports = s.ports.map((p) => {
      const pub = pubs.find((x) => x.host === s.host && x.lab === s.lab && x.node === p.node && x.port === p.port);
      const t = pub && tunnels.find((x) => x.publicationId === pub.id);
      const ep = t?.state === 'online' || t?.state === 'degraded' || t?.state === 'waiting-for-node' ? t.endpoint : undefined;
      if (!ep) return p;
      const last = p.lastEndpoint;
      if (last && last.host === ep.host && last.port === ep.port && last.dnsName === ep.dnsName) return p;
      mine = true;
      const lastEndpoint: NonNullable<typeof p.lastEndpoint> = { host: ep.host, port: ep.port };
      if (ep.dnsName) lastEndpoint.dnsName = ep.dnsName;
      return { ...p, lastEndpoint };
    });
    if (!mine) return s;
    changed = true;
    return { ...s, ports };
  });
  return changed ? next : shares;
}
