import type { ProbeResult, Tunnel } from '../../../shared/model';
import { formatBytes } from '../../../shared/publish-defaults';
import { Sparkline } from '../../components/sparkline';
import { formatDuration, formatMs } from '../../lib/format';
import { useNow } from '../../lib/use-now';

function Probe({ label, p, what, testId }: { label: string; p?: ProbeResult; what: string; testId: string }) {
  if (!p) return null;
  const checked = new Date(p.checkedAt).toLocaleTimeString();
  // A UDP service that stays silent passes without a time: it is `listening`, and says why.
  const okValue = p.latencyMs !== undefined ? formatMs(p.latencyMs) : 'listening';
  const result = p.ok ? (p.latencyMs !== undefined ? `answered in ${formatMs(p.latencyMs)}` : (p.detail ?? 'ok')) : `failed: ${p.error ?? 'no answer'}`;
  return (
    <span className={`health-item ${p.ok ? 'is-ok' : 'is-bad'}`} title={`${what}: ${result} (checked ${checked})`} data-testid={testId} data-ok={String(p.ok)}>
      <span className={`dot tone-${p.ok ? 'ok' : 'bad'}`} aria-hidden="true" />
      {label} <span className="health-value">{p.ok ? okValue : (p.error ?? 'failed')}</span>
    </span>
  );
}

/** UDP has no connection to watch: when the last datagram passed, either way, ticking. */
function LastDatagram({ at }: { at?: number }) {
  const now = useNow();
  return (
    <span className="health-item" title="The last datagram through this tunnel, either way" data-testid="tunnel-health-last">
      last <span className="health-value">{at ? `${formatDuration(now - at)} ago` : 'none yet'}</span>
    </span>
  );
}

/** SSH round trip to the relay, the node port probe (or its error), the end-to-end result. */
export function TunnelHealthCell({ t }: { t: Tunnel }) {
  const h = t.health;
  const udp = t.type === 'udp';
  if (!udp && (!h || (h.rttMs === undefined && !h.upstream && !h.endToEnd))) {
    return <span className="muted" data-testid="tunnel-health" title="No health checks yet">—</span>;
  }
  return (
    <div className="health-cell" data-testid="tunnel-health">
      {h?.rttMs !== undefined ? (
        <span className="health-item" title="SSH keepalive round trip to the relay / tunnel server" data-testid="tunnel-health-rtt">
          ssh <span className="health-value">{formatMs(h?.rttMs)}</span>
        </span>
      ) : null}
      <Probe label="node" p={h?.upstream} what={udp ? "A probe datagram to the node's UDP port from where the tunnel reaches it" : "TCP connect to the node's port from where the tunnel dials it"} testId="tunnel-health-upstream" />
      <Probe label="e2e" p={h?.endToEnd} what={udp ? 'The same request sent to the public address from this machine, answered through the tunnel' : 'TCP connect to the public address from this machine'} testId="tunnel-health-e2e" />
      {udp ? <LastDatagram at={t.counters.lastDatagramAt} /> : null}
    </div>
  );
}

const rate = (bytes: number, bucketMs: number) => `${formatBytes(Math.round((bytes * 1000) / bucketMs))}/s`;

/** Bytes in (to the node) and out (to visitors) over the last minute. */
export function TunnelSparklineCell({ t }: { t: Tunnel }) {
  const tp = t.throughput;
  if (!tp || (!tp.in.length && !tp.out.length)) return <span className="muted">—</span>;
  const last = (a: number[]) => (a.length ? a[a.length - 1] : 0);
  const title = `now: in ${rate(last(tp.in), tp.bucketMs)}, out ${rate(last(tp.out), tp.bucketMs)} · last minute, ${tp.bucketMs / 1000} s steps (blue in, green out)`;
  return (
    <Sparkline
      series={[
        { values: tp.in, className: 'spark-in' },
        { values: tp.out, className: 'spark-out' },
      ]}
      title={title}
      testId="tunnel-sparkline"
    />
  );
}
