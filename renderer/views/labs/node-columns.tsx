import { createColumnHelper } from '@tanstack/react-table';
import type { LabNode } from '../../../shared/model';
import { StateBadge } from '../../components/state-badge';
import { NodePorts } from './node-ports';

/** One row of the node table: the node and where it lives. */
export interface NodeRow {
  host: string;
  lab: string;
  node: LabNode;
}

const col = createColumnHelper<NodeRow>();

export const nodeColumns = [
  col.accessor((r) => r.node.name, {
    id: 'name',
    header: 'Node',
    cell: (c) => (
      <div className="node-cell">
        <span className="node-name">{c.getValue()}</span>
        <span className="container-name mono muted">{c.row.original.node.containerName}</span>
      </div>
    ),
    meta: { className: 'col-name' },
  }),
  col.accessor((r) => r.node.kind, {
    id: 'kind',
    header: 'Kind',
    cell: (c) => (
      <span title={c.row.original.node.type ? `type ${c.row.original.node.type}` : undefined}>{c.getValue()}</span>
    ),
  }),
  col.accessor((r) => r.node.image, {
    id: 'image',
    header: 'Image',
    cell: (c) => <span className="mono ellipsis" title={c.getValue()}>{c.getValue()}</span>,
    meta: { className: 'col-image' },
  }),
  col.accessor((r) => r.node.state, {
    id: 'state',
    header: 'State',
    cell: (c) => <StateBadge state={c.getValue()} />,
  }),
  col.accessor((r) => r.node.ipv4 ?? '', {
    id: 'ipv4',
    header: 'IPv4',
    cell: (c) => <span className="mono">{c.getValue() || '—'}</span>,
  }),
  col.accessor((r) => r.node.ipv6 ?? '', {
    id: 'ipv6',
    header: 'IPv6',
    cell: (c) => <span className="mono ellipsis" title={c.getValue() || undefined}>{c.getValue() || '—'}</span>,
    meta: { className: 'col-ipv6' },
  }),
  col.display({
    id: 'ports',
    header: 'Ports',
    cell: (c) => <NodePorts host={c.row.original.host} lab={c.row.original.lab} node={c.row.original.node} />,
    meta: { className: 'col-ports', title: 'Solid: seen listening. Dashed: the kind\u2019s well-known port. Click to publish.' },
  }),
];
