import { usePublicationsStore } from '../../stores/use-publications-store';
import { useTunnelsStore } from '../../stores/use-tunnels-store';

function useCounts(): [online: number, all: number, degraded: number, failed: number] {
  const tunnels = useTunnelsStore((s) => s.items);
  const publications = usePublicationsStore((s) => s.items);
  const count = (state: string) => tunnels.filter((t) => t.state === state).length;
  // A publication without a tunnel yet counts as not online.
  const withTunnel = new Set(tunnels.map((t) => t.publicationId));
  const all = tunnels.length + publications.filter((p) => !withTunnel.has(p.id)).length;
  return [count('online'), all, count('degraded'), count('failed')];
}

/** "N/M online" over every publication, with degraded (orange) and failed (red) counts when any. */
export function TunnelSummary() {
  const [online, all, degraded, failed] = useCounts();
  const tone = all === 0 || online === all ? '' : failed ? ' summary-bad' : ' summary-warn';
  return (
    <span className={`summary${tone}`} data-testid="tunnel-summary" title="Tunnels online / published ports">
      <span data-testid="tunnel-summary-online">
        {online}/{all} online
      </span>
      {degraded ? (
        <span className="summary-count tone-degraded" data-testid="tunnel-summary-degraded" title="Up, but a health check fails (see the Health column)">
          {degraded} degraded
        </span>
      ) : null}
      {failed ? (
        <span className="summary-count tone-bad" data-testid="tunnel-summary-failed" title="Gave up: see the reason in the State column">
          {failed} failed
        </span>
      ) : null}
    </span>
  );
}
