import { useEffect, useMemo } from 'react';
import type { Publication, Tunnel } from '../../../shared/model';
import { tunnelOf } from '../../../shared/tunnel-of';
import { choosableColumns, ColumnMenu } from '../../components/column-menu';
import { DataTable, type RowGroups } from '../../components/data-table';
import { useColumnVisibility } from '../../lib/column-visibility';
import { useHostsStore } from '../../stores/use-hosts-store';
import { usePublicationsStore } from '../../stores/use-publications-store';
import { useTunnelsStore } from '../../stores/use-tunnels-store';
import { useUiStore } from '../../stores/use-ui-store';
import { saveToFile, unpublish } from './actions';
import { tunnelColumns } from './tunnel-columns';
import { hostOrder, TunnelHostHeading } from './tunnel-host-heading';

/** A publication the core has not made a tunnel for yet, shown as pending. */
const pendingTunnel = (p: Publication): Tunnel => tunnelOf(p, 'pending', { id: `pending:${p.id}` });

const HIGHLIGHT_MS = 2500;

const columns = tunnelColumns({ unpublish: (t) => unpublish(t.publicationId), saveToFile: (t) => saveToFile(t.publicationId) });
const CHOOSABLE = choosableColumns(columns);
const HIDEABLE = CHOOSABLE.map((c) => c.id);

/** "Published ports": every tunnel with its health, address and actions. */
export function TunnelsTable() {
  const tunnels = useTunnelsStore((s) => s.items);
  const publications = usePublicationsStore((s) => s.items);
  const highlight = useUiStore((s) => s.highlight);
  const clearHighlight = useUiStore((s) => s.highlightPublication);
  const hosts = useHostsStore((s) => s.items);
  const { visibility, setVisibility } = useColumnVisibility('tunnels', HIDEABLE);

  const rows = useMemo(() => {
    const byId = new Map(publications.map((p) => [p.id, p]));
    // Where a port comes from is the publication's fact (a UI one saved to the file becomes
    // `topology`); take it from there even when the tunnel's copy is older.
    const current = tunnels.map((t) => {
      const p = byId.get(t.publicationId);
      return p && (p.origin !== t.origin || p.source?.line !== t.source?.line || p.source?.file !== t.source?.file) ? { ...t, origin: p.origin, source: p.source } : t;
    });
    const have = new Set(tunnels.map((t) => t.publicationId));
    const all = [...current, ...publications.filter((p) => !have.has(p.id)).map(pendingTunnel)];
    // Grouped by lab host (stable within a host), so each host's tunnels read as one block.
    const rank = hostOrder(hosts);
    return all.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t.host) - rank(b.t.host) || a.t.host.localeCompare(b.t.host) || a.i - b.i).map((x) => x.t);
  }, [tunnels, publications, hosts]);
  // One host only (the common case: this computer): no heading rows.
  const groups = useMemo((): RowGroups<Tunnel> | undefined => {
    if (!rows.some((t) => t.host !== rows[0].host)) return undefined;
    return {
      key: (t) => t.host,
      heading: (id, list) => <TunnelHostHeading hostId={id} host={hosts.find((h) => h.id === id)} tunnels={list} />,
      testId: (id) => `tunnel-group-${id}`,
    };
  }, [rows, hosts]);
  const target = highlight?.publicationId;

  // The table scrolls the row into view (also one outside a long table's window).
  const targetRow = target ? rows.find((r) => r.publicationId === target) : undefined;
  const targetShown = !!targetRow;
  useEffect(() => {
    if (!target || !targetShown) return;
    const t = setTimeout(() => clearHighlight(null), HIGHLIGHT_MS);
    return () => clearTimeout(t);
  }, [target, targetShown, highlight?.nonce, clearHighlight]);

  const online = tunnels.filter((t) => t.state === 'online').length;
  return (
    <section className="panel" aria-labelledby="tunnels-title">
      <header className="panel-header">
        <h2 id="tunnels-title">
          Published ports <span className="muted">— {online}/{rows.length} online</span>
        </h2>
        <span className="spacer" />
        <ColumnMenu columns={CHOOSABLE} visibility={visibility} onChange={setVisibility} testId="tunnel-columns" />
      </header>
      <DataTable
        data={rows}
        columns={columns}
        rowId={(t) => t.id}
        rowProps={(row) => ({
          'data-testid': row.original.type === 'udp' ? `tunnel-${row.original.node}-udp-${row.original.port}` : `tunnel-${row.original.node}-${row.original.port}`,
          'data-pub': row.original.publicationId,
          'data-state': row.original.state,
          className: row.original.publicationId === target ? 'is-highlighted' : undefined,
        })}
        label="Published ports"
        groups={groups}
        columnVisibility={visibility}
        reveal={targetRow && highlight ? { id: targetRow.id, nonce: highlight.nonce } : undefined}
        testId="tunnels-table"
        empty={<span className="empty-text">Nothing published yet — click a port chip above to publish it.</span>}
      />
    </section>
  );
}
