import type { Tunnel } from '../../../shared/model';
import { shareOfPort, useSharesStore } from '../../stores/use-shares-store';
import { useUiStore } from '../../stores/use-ui-store';
import { ShareUntil } from './share-state';

/** The Published ports table's share column: which share holds the port, and its countdown. */
export function ShareTunnelCell({ t }: { t: Tunnel }) {
  const share = useSharesStore((s) => shareOfPort(s.items, t.host, t.lab, t.node, t.port));
  const select = useUiStore((s) => s.selectShare);
  if (!share) return <span className="muted">—</span>;
  return (
    <span className="share-cell" data-testid="tunnel-share">
      <button type="button" className="btn-link" onClick={() => select(share.id)} title={`Show share "${share.title}"`}>
        {share.title}
      </button>{' '}
      <ShareUntil share={share} testId="tunnel-share-until" />
    </span>
  );
}
