import type { Share, ShareState } from '../../shared/share-model';
import { formatWhen } from '../../shared/share-time';
import { notificationsAllowed } from './use-notifications-store';
import { useSharesStore } from './use-shares-store';
import { useUiStore } from './use-ui-store';

function notify(s: Share, title: string, body: string): void {
  useUiStore.getState().showInfo(title, body);
  if (!notificationsAllowed()) return;
  try {
    const n = new Notification(title, { body, tag: `share-${s.id}` });
    n.onclick = () => {
      window.focus();
      useUiStore.getState().selectShare(s.id);
      n.close();
    };
  } catch {
    // Some platforms only allow notifications from a service worker: the toast remains.
  }
}

/** Tells the owner when a share has 10 minutes left and when it has expired (not at start-up). */
export function startShareNotifications(): () => void {
  const seen = new Map<string, ShareState>();
  let first = true;
  const update = (shares: readonly Share[]) => {
    for (const s of shares) {
      const was = seen.get(s.id);
      seen.set(s.id, s.state);
      if (first || was === undefined || was === s.state) continue;
      if (s.state === 'expiring') {
        const min = Math.max(1, Math.round((s.expiresAt! - Date.now()) / 60_000));
        notify(s, `Share "${s.title}" expires in ${min} minute${min === 1 ? '' : 's'}`, `Lab ${s.lab}, at ${formatWhen(s.expiresAt!)}. Extend it in Shares to keep it open.`);
      }
      else if (s.state === 'expired') notify(s, `Share "${s.title}" has expired`, `Its ports of lab ${s.lab} are closed. Reopen it in Shares if people still need it.`);
    }
    if (useSharesStore.getState().loaded) first = false;
  };
  update(useSharesStore.getState().items);
  return useSharesStore.subscribe((st, prev) => {
    if (st.items !== prev.items) update(st.items);
  });
}
