import { useMemo } from 'react';
import type { Lab } from '../../../shared/model';
import { DataTable } from '../../components/data-table';
import { HostTag } from '../../components/host-tag';
import { LabTopology } from './lab-topology';
import { nodeColumns, type NodeRow } from './node-columns';
import { ShareLabButton } from '../shares/share-lab-button';

/** The nodes of the selected lab with their ports. */
export function NodeTable({ lab }: { lab: Lab }) {
  const rows = useMemo<NodeRow[]>(
    () => lab.nodes.map((node) => ({ host: lab.host, lab: lab.name, node })),
    [lab],
  );
  const running = lab.nodes.filter((n) => n.state === 'running').length;
  return (
    <section className="panel" aria-labelledby="nodes-title">
      <header className="panel-header">
        <h2 id="nodes-title">
          {lab.name} <span className="muted">— {running}/{lab.nodes.length} nodes running</span> <HostTag host={lab.host} testId="nodes-host" />
        </h2>
        <span className="spacer" />
        <ShareLabButton lab={lab} />
      </header>
      <LabTopology lab={lab} />
      <DataTable
        data={rows}
        columns={nodeColumns}
        rowId={(r) => r.node.name}
        rowProps={(row) => ({ 'data-testid': `node-${row.original.node.name}` })}
        label={`Nodes of ${lab.name}`}
        empty={<span className="muted">This lab has no nodes.</span>}
        testId="nodes-table"
      />
    </section>
  );
}
