import { TunnelNotifier, type TunnelNotice } from '../lib/tunnel-notifier';
import { notificationsAllowed } from './use-notifications-store';
import { useTunnelsStore } from './use-tunnels-store';
import { useUiStore } from './use-ui-store';

function show({ tunnel: t, kind }: TunnelNotice): void {
  if (!notificationsAllowed()) return;
  const where = `${t.lab}/${t.node}:${t.port}`;
  const title = kind === 'down' ? `${t.name} is ${t.state}` : `${t.name} is back online`;
  const body = kind === 'down' ? `${t.reason ?? t.lastError ?? 'The tunnel stopped working.'} (${where})` : `${where} is reachable again.`;
  try {
    // The tag replaces an earlier notice of the same tunnel instead of stacking.
    const n = new Notification(title, { body, tag: `tunnel-${t.id}` });
    n.onclick = () => {
      window.focus();
      useUiStore.getState().highlightPublication(t.publicationId);
      n.close();
    };
  } catch {
    // Some platforms only allow notifications from a service worker; nothing else to do.
  }
}

/** Watches the tunnels store for tunnels going down or coming back; returns the stop function. */
export function startTunnelNotifications(): () => void {
  const notifier = new TunnelNotifier({ show });
  notifier.update(useTunnelsStore.getState().items);
  const off = useTunnelsStore.subscribe((s, prev) => {
    if (s.items !== prev.items) notifier.update(s.items);
  });
  return () => {
    off();
    notifier.dispose();
  };
}
