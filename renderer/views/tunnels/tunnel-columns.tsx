import { createColumnHelper } from '@tanstack/react-table';
import type { Tunnel } from '../../../shared/model';
import { border0SocketType } from '../../../shared/border0-sockets';
import { formatBytes } from '../../../shared/publish-defaults';
import { HostTag } from '../../components/host-tag';
import { TunnelConnsCell, TunnelTrafficCell } from './tunnel-counter-cells';
import { TunnelActionsCell, TunnelAddressCell, TunnelNameCell, TunnelStateCell } from './tunnel-cells';
import { TunnelHealthCell, TunnelSparklineCell } from './tunnel-health-cells';
import { TunnelOriginCell, type SaveToFile } from './tunnel-origin-cell';
import { ShareTunnelCell } from '../shares/share-tunnel-cell';

const col = createColumnHelper<Tunnel>();

function cloudAuthTip(t: Tunnel): string {
  if (t.access.length) return `Who may connect: ${t.access.join(', ')}`;
  return t.provider === 'border0' ? "border0 signs everyone in; your organisation's policies decide who gets through" : 'anyone who can reach the address';
}
const dash = (v: string | number | undefined) => (v === undefined || v === '' ? '—' : String(v));

/** What the rows' buttons do; the table's container binds them to the core. */
export interface TunnelActions {
  unpublish: (t: Tunnel) => Promise<unknown>;
  saveToFile: SaveToFile;
}

/**
 * The original feature's "Published ports" columns, plus health, counters and actions. Which
 * node a row is for comes right after its state: with several hosts and labs it is how rows
 * are told apart.
 */
export const tunnelColumns = (actions: TunnelActions) => [
  col.accessor('state', { id: 'state', header: 'State', cell: (c) => <TunnelStateCell t={c.row.original} />, meta: { className: 'col-state' } }),
  col.accessor((t) => `${t.lab}/${t.node}:${t.port}${t.type === 'udp' ? '/udp' : ''}`, {
    id: 'target',
    header: 'Lab / node',
    cell: (c) => {
      const t = c.row.original;
      return (
        <span className="target-cell">
          <HostTag host={t.host} testId="tunnel-host" />
          <span className="mono" title={t.target ? `forwarding to ${t.target.host}:${t.target.port}` : `on host ${t.host}`}>{c.getValue()}</span>
        </span>
      );
    },
  }),
  col.display({
    id: 'health',
    header: 'Health',
    cell: (c) => <TunnelHealthCell t={c.row.original} />,
    meta: { className: 'col-health', title: 'ssh: keepalive round trip to the relay · node: the node port answers · e2e: the public address answers' },
  }),
  // What people hand out comes next; the original feature's columns follow.
  col.display({ id: 'address', header: 'Address', cell: (c) => <TunnelAddressCell t={c.row.original} />, meta: { className: 'nowrap' } }),
  col.display({ id: 'share', header: 'Share', cell: (c) => <ShareTunnelCell t={c.row.original} />, meta: { className: 'nowrap', title: 'The share that hands this port out, and when it ends' } }),
  col.accessor((t) => t.endpoint?.socketId, {
    id: 'socketId',
    header: 'Socket ID',
    cell: (c) => <span className="mono ellipsis" title={c.getValue()} data-testid="tunnel-socket-id">{dash(c.getValue())}</span>,
    meta: { className: 'col-socket' },
  }),
  col.accessor((t) => (t.endpoint ? t.endpoint.dnsName || t.endpoint.host : undefined), {
    id: 'dns',
    header: 'DNS name / host',
    cell: (c) => <span className="mono" data-testid="tunnel-dns">{dash(c.getValue())}</span>,
  }),
  col.accessor((t) => t.endpoint?.port, { id: 'ports', header: 'Port(s)', cell: (c) => <span className="mono">{dash(c.getValue())}</span>, meta: { className: 'num' } }),
  col.accessor('type', {
    id: 'type',
    header: 'Type',
    cell: (c) => {
      const t = c.row.original;
      // What border0 made of it: tcp is a tls socket there, https an http socket.
      const socket = t.provider === 'border0' ? border0SocketType(t.type).socketType : undefined;
      return socket && socket !== t.type ? <span title={`a border0 ${socket} socket`} data-testid="tunnel-type">{`${t.type} → ${socket}`}</span> : <span data-testid="tunnel-type">{t.type}</span>;
    },
  }),
  // Every border0 socket signs people in: with no list, the organisation's policies decide.
  col.accessor((t) => (t.access.length > 0 || t.provider === 'border0' ? 'true' : 'false'), {
    id: 'cloudAuth',
    header: 'Cloud auth',
    cell: (c) => (
      <span className={c.getValue() === 'true' ? 'has-tip' : undefined} title={cloudAuthTip(c.row.original)} data-testid="tunnel-cloud-auth">
        {c.getValue()}
      </span>
    ),
  }),
  col.accessor('name', { id: 'name', header: 'Name', cell: (c) => <TunnelNameCell t={c.row.original} /> }),
  col.accessor('origin', {
    id: 'origin',
    header: 'Origin',
    cell: (c) => <TunnelOriginCell t={c.row.original} onSave={actions.saveToFile} />,
    meta: { className: 'nowrap', title: 'file:line of the topology entry, or UI for ports published here' },
  }),
  col.accessor((t) => `${t.counters.open}/${t.counters.total}`, {
    id: 'conns',
    header: 'Conns',
    cell: (c) => <TunnelConnsCell t={c.row.original} />,
    meta: { className: 'num', title: 'Connections (UDP: peers) open now / since the tunnel started' },
  }),
  col.accessor((t) => `${formatBytes(t.counters.bytesIn)} / ${formatBytes(t.counters.bytesOut)}`, {
    id: 'traffic',
    header: 'In / out',
    cell: (c) => <TunnelTrafficCell t={c.row.original} />,
    meta: { className: 'num nowrap', title: 'Bytes from visitors to the node / from the node to visitors (UDP: and datagrams, drops)' },
  }),
  col.display({
    id: 'throughput',
    header: 'Last min',
    cell: (c) => <TunnelSparklineCell t={c.row.original} />,
    meta: { className: 'col-spark', title: 'Throughput over the last minute: blue in, green out' },
  }),
  col.accessor('provider', { id: 'provider', header: 'Provider' }),
  // Never hidden, and pinned to the right edge (sticky) when the table scrolls sideways.
  col.display({
    id: 'actions',
    header: '',
    cell: (c) => <TunnelActionsCell t={c.row.original} onUnpublish={actions.unpublish} />,
    enableHiding: false,
    meta: { className: 'nowrap col-actions' },
  }),
];
