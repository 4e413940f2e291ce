import { useNotificationsStore } from '../../stores/use-notifications-store';

/** A bell outline; struck through when off. Inline SVG: no icon font, nothing for the CSP to allow. */
function Bell({ on }: { on: boolean }) {
  return (
    <svg className="bell" width="14" height="14" viewBox="0 0 16 16" aria-hidden="true">
      <path d="M8 1.5a4.5 4.5 0 0 0-4.5 4.5v3L2 11.5h12L12.5 9V6A4.5 4.5 0 0 0 8 1.5Z" />
      <path d="M6.3 13.2a1.8 1.8 0 0 0 3.4 0" />
      {on ? null : <path d="M2 2l12 12" className="bell-off" />}
    </svg>
  );
}

/** The bell: desktop notifications when a tunnel goes down or comes back. */
export function NotificationsToggle() {
  const enabled = useNotificationsStore((s) => s.enabled);
  const setEnabled = useNotificationsStore((s) => s.setEnabled);
  const title = enabled
    ? 'Notifications on: a tunnel going down or coming back shows a desktop notification (click to turn off)'
    : 'Notifications off: click to be notified when a tunnel goes down or comes back';
  return (
    <button
      type="button"
      className={`btn btn-bell${enabled ? ' is-active' : ''}`}
      onClick={() => void setEnabled(!enabled)}
      aria-pressed={enabled}
      aria-label="Tunnel notifications"
      title={title}
      data-testid="notifications-toggle"
      data-enabled={String(enabled)}
    >
      <Bell on={enabled} />
    </button>
  );
}
