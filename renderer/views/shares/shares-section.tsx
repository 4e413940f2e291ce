import { useSharesStore } from '../../stores/use-shares-store';
import { useUiStore } from '../../stores/use-ui-store';
import { ShareStateBadge, ShareUntil } from './share-state';
import { ShareView } from './share-view';

/** Every share, newest first; the selected one opens below its row. */
export function SharesSection() {
  const shares = useSharesStore((s) => s.items);
  const selected = useUiStore((s) => s.selectedShare);
  const select = useUiStore((s) => s.selectShare);
  if (shares.length === 0) return null;
  const list = [...shares].sort((a, b) => b.createdAt - a.createdAt);
  const current = list.find((s) => s.id === selected);
  return (
    <section className="panel" aria-labelledby="shares-title" data-testid="shares-section">
      <header className="panel-header">
        <h2 id="shares-title">
          Shares <span className="muted">— {shares.filter((s) => s.state === 'open' || s.state === 'expiring').length}/{shares.length} open</span>
        </h2>
      </header>
      <ul className="share-list">
        {list.map((s) => (
          <li key={s.id}>
            <button type="button" className={`share-row${s.id === selected ? ' is-selected' : ''}`} onClick={() => select(s.id === selected ? null : s.id)} data-testid={`share-row-${s.title}`} aria-expanded={s.id === selected}>
              <ShareStateBadge state={s.state} />
              <span className="share-row-title">{s.title}</span>
              <span className="muted">
                lab {s.lab}
                {s.host !== 'local' ? ` on ${s.host}` : ''} · {s.ports.length} port{s.ports.length === 1 ? '' : 's'}
              </span>
              <span className="spacer" />
              <ShareUntil share={s} />
            </button>
          </li>
        ))}
      </ul>
      {current ? <ShareView key={current.id} share={current} /> : null}
    </section>
  );
}
