import { HostKeyMismatch, HostKeyPrompt } from './relay-hostkey';
import { useProvidersStore } from '../../stores/use-providers-store';
import { useUiStore } from '../../stores/use-ui-store';

/**
 * Host key decisions waiting for the user. Rendered at the top of the app, or inside the
 * providers drawer while it is open (never both, so each prompt exists once).
 */
export function HostKeyNotices({ where }: { where: 'banner' | 'drawer' }) {
  const providers = useProvidersStore((s) => s.items);
  const drawerOpen = useUiStore((s) => s.providersOpen);
  const dismissed = useUiStore((s) => s.dismissedHostKeys);
  const review = useUiStore((s) => s.reviewHostKey);
  if ((where === 'drawer') !== drawerOpen) return null;

  const items = providers.flatMap((p) => {
    const k = p.hostKey;
    if (k?.state === 'mismatch') return [<HostKeyMismatch key={p.id} provider={p} />];
    if (k?.state !== 'unknown') return [];
    if (!dismissed.includes(k.fingerprint ?? '')) return [<HostKeyPrompt key={p.id} provider={p} />];
    if (where === 'banner') return [];
    return [
      <div key={p.id} className="notice notice-info">
        <div className="notice-body">{p.label}: the relay&apos;s host key is not trusted yet, so it cannot connect.</div>
        <button type="button" className="btn" onClick={() => review(k.fingerprint ?? '')} title="Show the host key prompt again">
          Review host key
        </button>
      </div>,
    ];
  });
  return items.length ? <>{items}</> : null;
}
