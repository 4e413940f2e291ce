import { useEffect, useState, type FormEvent } from 'react';
import { formatBytes } from '../../../shared/publish-defaults';
import { auditCsv, auditJsonl } from '../../../shared/share-audit';
import { AUDIT_LIMIT_MAX, AUDIT_LIMIT_MIN, type AuditRecord, type Share, type ShareAudit } from '../../../shared/share-model';
import { formatTime } from '../../lib/format';
import { download } from '../../lib/log-export';
import { useAction } from '../../lib/use-action';
import { onAuditChanged, shareAudit, updateShare } from './actions';

const RECENT = 50;

/** What a record was about: a port, or (with the attendee) their page, a terminal, the live demo. */
function whatOf(r: AuditRecord): string {
  const who = r.attendee ? `${r.attendee}: ` : '';
  switch (r.kind) {
    case 'page':
      return `${who}the share's page`;
    case 'terminal':
      return `${who}terminal on ${r.node}${r.port ? ` (SSH ${r.port})` : ' (container shell)'}`;
    case 'watch':
      return `${who}watching the live demo${r.node ? ` on ${r.node}` : ''}`;
    default:
      return `${who}${r.node}:${r.port}`;
  }
}

/** The share's audit, fetched again whenever the core says its connections changed. */
function useAudit(shareId: string): ShareAudit | undefined {
  const [audit, setAudit] = useState<ShareAudit>();
  useEffect(() => {
    let live = true;
    let inflight = false;
    let again = false;
    const load = () => {
      if (inflight) return void (again = true);
      inflight = true;
      shareAudit(shareId).then(
        (a) => live && setAudit(a),
        () => undefined,
      ).finally(() => {
        inflight = false;
        if (again && live) {
          again = false;
          load();
        }
      });
    };
    load();
    let seen: number | undefined;
    const off = onAuditChanged((revisions) => {
      const rev = revisions[shareId];
      if (rev === undefined || rev === seen) return;
      seen = rev;
      load();
    });
    return () => {
      live = false;
      off();
    };
  }, [shareId]);
  return audit;
}

/** How many records the share keeps (the oldest go first past it). */
function AuditLimit({ share }: { share: Share }) {
  const [value, setValue] = useState(String(share.auditLimit));
  const limit = useAction(updateShare, { failure: 'Changing the audit size failed' });
  const save = (e: FormEvent) => {
    e.preventDefault();
    void limit.run({ id: share.id, auditLimit: Number(value) });
  };
  return (
    <form className="audit-limit" onSubmit={save} noValidate>
      <label>
        keeps the last{' '}
        <input type="number" min={AUDIT_LIMIT_MIN} max={AUDIT_LIMIT_MAX} value={value} onChange={(e) => setValue(e.target.value)} data-testid="audit-limit" aria-label="Connections the audit keeps" />
      </label>
      <button type="submit" className="btn btn-small" disabled={value === String(share.auditLimit)}>
        Set
      </button>
    </form>
  );
}

/** Who connected (live), the latest connections, and the exports. */
export function ShareAuditView({ share }: { share: Share }) {
  const audit = useAudit(share.id);
  const exporting = useAction(
    async (format: 'csv' | 'jsonl') => {
      const all = await shareAudit(share.id);
      download(new Blob([format === 'csv' ? auditCsv(all.records) : auditJsonl(all.records)], { type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' }), `${share.lab}-share-audit.${format}`);
    },
    { failure: 'Export failed' },
  );
  const exportAs = (format: 'csv' | 'jsonl') => void exporting.run(format);
  const recent = audit ? audit.records.slice(-RECENT).reverse() : [];
  return (
    <section className="share-audit" aria-label="Who connected" data-testid="share-audit">
      <div className="share-card-head">
        <h4>Who connected</h4>
        <span className="muted">{audit ? `${audit.records.length} record(s)${audit.dropped ? `, ${audit.dropped} oldest dropped (keeps ${share.auditLimit})` : ''}` : 'loading…'}</span>
        <span className="spacer" />
        <AuditLimit share={share} />
        <button type="button" className="btn btn-small" onClick={() => exportAs('csv')} data-testid="audit-export-csv">
          CSV
        </button>
        <button type="button" className="btn btn-small" onClick={() => exportAs('jsonl')} data-testid="audit-export-jsonl">
          JSONL
        </button>
      </div>
      {audit && audit.sources.length === 0 ? <p className="muted">Nobody yet.</p> : null}
      {audit && audit.sources.length ? (
        <div className="table-wrap">
          <table className="data-table" data-testid="audit-sources">
            <thead>
              <tr>
                <th>Source</th>
                <th>First seen</th>
                <th>Last seen</th>
                <th className="num">Connections</th>
                <th className="num">Refused</th>
                <th className="num">Open</th>
                <th className="num">In / out</th>
              </tr>
            </thead>
            <tbody>
              {audit.sources.map((s) => (
                <tr key={s.source} data-testid={`audit-source-${s.source}`} className={s.refused && !s.connections ? 'is-refused' : undefined}>
                  <td className="mono">{s.source}</td>
                  <td>{formatTime(s.firstSeen)}</td>
                  <td>{formatTime(s.lastSeen)}</td>
                  <td className="num">{s.connections}</td>
                  <td className="num">{s.refused}</td>
                  <td className="num">{s.open}</td>
                  <td className="num nowrap">
                    {formatBytes(s.bytesIn)} / {formatBytes(s.bytesOut)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {recent.length ? (
        <details>
          <summary>Latest connections</summary>
          <ul className="audit-recent" data-testid="audit-recent">
            {recent.map((r) => (
              <li key={r.seq} className={r.refused ? 'is-refused' : undefined}>
                <span className="mono">{formatTime(r.start)}</span> {r.source}:{r.sourcePort} → {whatOf(r)} {r.refused ? <b>refused</b> : r.end === undefined ? 'open' : `${formatBytes(r.bytesIn)} in, ${formatBytes(r.bytesOut)} out`}
                {r.reason ? <span className="muted"> — {r.reason}</span> : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
