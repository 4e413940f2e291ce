import type { Tunnel } from '../../../shared/model';
import { formatBytes } from '../../../shared/publish-defaults';

/** TCP: connections open / since start. UDP: peers active (within the idle timeout) / since start. */
export function TunnelConnsCell({ t }: { t: Tunnel }) {
  const c = t.counters;
  if (t.type !== 'udp') return <span title="Connections open now / since the tunnel started">{`${c.open}/${c.total}`}</span>;
  return (
    <span title="UDP peers active now (a datagram within the idle timeout) / since the tunnel started" data-testid="tunnel-peers">
      {`${c.open}/${c.total}`} <span className="muted">peers</span>
    </span>
  );
}

/** Bytes each way; for UDP also the datagrams each way and what was dropped. */
export function TunnelTrafficCell({ t }: { t: Tunnel }) {
  const c = t.counters;
  const bytes = `${formatBytes(c.bytesIn)} / ${formatBytes(c.bytesOut)}`;
  if (t.type !== 'udp') return <span title="Bytes from visitors to the node / from the node to visitors">{bytes}</span>;
  const drops = c.drops ?? 0;
  const title =
    `${c.datagramsIn ?? 0} datagrams (${formatBytes(c.bytesIn)}) from peers to the node, ${c.datagramsOut ?? 0} (${formatBytes(c.bytesOut)}) back` +
    (drops ? `; ${drops} dropped (peer table full, refused peer, node not running or not listening): see the tunnel's logs` : '');
  return (
    <span className="traffic-udp" title={title} data-testid="tunnel-datagrams">
      {bytes}
      <span className="muted small">
        {' '}
        {c.datagramsIn ?? 0} / {c.datagramsOut ?? 0} dgrams
      </span>
      {drops ? (
        <span className="drops" data-testid="tunnel-drops">
          {' '}
          {drops} dropped
        </span>
      ) : null}
    </span>
  );
}
