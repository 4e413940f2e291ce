import { Countdown } from '../../components/countdown';
import { useConnectionStore } from '../../stores/use-connection-store';
import { reconnectNow, RELOAD_HINT } from './actions';
import { Border0Notices } from '../border0/notices';
import { HostKeyNotices } from '../providers/hostkey-notices';
import { HostNotices } from '../hosts/host-notices';

function ConnectionBanner() {
  const state = useConnectionStore((s) => s.state);
  const retryAt = useConnectionStore((s) => s.retryAt);
  const detail = useConnectionStore((s) => s.detail);
  if (state === 'open' || state === 'connecting') return null;
  if (state === 'unauthorized') {
    return (
      <div className="notice notice-bad" role="alert" data-testid="connection-banner">
        <div className="notice-body">
          <strong>Not allowed to talk to the host. {detail}</strong>
          <div className="help">{RELOAD_HINT}</div>
        </div>
        <button type="button" className="btn" onClick={reconnectNow} title="Try the same token again">
          Retry
        </button>
      </div>
    );
  }
  return (
    <div className="notice notice-bad" role="alert" data-testid="connection-banner">
      <div className="notice-body">
        <div>
          <strong>Connection to the clab-publisher host lost.</strong> {detail}{' '}
          {retryAt ? <Countdown at={retryAt} prefix="Reconnecting " /> : <span className="countdown">Reconnecting…</span>}
        </div>
        <div className="help">Tunnels keep running on the host. What you see here is frozen until the connection is back.</div>
      </div>
      <button type="button" className="btn" onClick={reconnectNow} title="Try to reconnect now">
        Retry now
      </button>
    </div>
  );
}

/** What needs attention, above everything else. */
export function Banners() {
  return (
    <div className="banners">
      <ConnectionBanner />
      <HostNotices />
      <HostKeyNotices where="banner" />
      <Border0Notices where="banner" />
    </div>
  );
}
