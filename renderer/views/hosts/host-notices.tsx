import { useEffect } from 'react';
import type { LabHostStatus } from '../../../shared/model';
import { Countdown } from '../../components/countdown';
import { HostKeyChanged, HostKeyTrust } from '../../components/hostkey-prompt';
import { useHostsStore } from '../../stores/use-hosts-store';
import { useUiStore } from '../../stores/use-ui-store';
import { trustHostKey } from './actions';

const where = (h: LabHostStatus) => (h.kind === 'ssh' ? `Lab host ${h.label}${h.address ? ` (${h.address})` : ''}` : `Docker on ${h.label}`);

function Unreachable({ h }: { h: LabHostStatus }) {
  const hide = useUiStore((s) => s.hideHostBanner);
  return (
    <div className="notice notice-bad" role="alert" data-testid="host-banner" data-host={h.id}>
      <div className="notice-body">
        <div>
          <strong>
            {where(h)} is unreachable{h.error ? `: ${h.error}` : '.'}
          </strong>{' '}
          {h.nextRetryAt ? <Countdown at={h.nextRetryAt} prefix="Retrying " testId="host-retry" /> : null}
        </div>
        {h.hint ? <div className="help">{h.hint}</div> : null}
      </div>
      <button
        type="button"
        className="btn"
        onClick={() => hide(h.id, true)}
        title="Hide this until the host was connected again; its state stays in the sidebar and the top bar"
        data-testid="host-banner-hide"
      >
        Hide
      </button>
    </div>
  );
}

function UnknownKey({ h }: { h: LabHostStatus }) {
  return (
    <HostKeyTrust
      hostKey={h.hostKey!}
      heading={`${where(h)} presented an SSH host key this app has not seen before.`}
      help={
        <>
          Compare it with <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> run on that host (or ask its admin).
          Trust it only if they match; until then the app does not connect to it.
        </>
      }
      onTrust={(fingerprint) => trustHostKey(h.id, fingerprint)}
      testIdPrefix="host-hostkey"
      cancelTitle="Do not connect to this host for now"
    />
  );
}

function ChangedKey({ h }: { h: LabHostStatus }) {
  return (
    <HostKeyChanged
      hostKey={h.hostKey!}
      heading={`${where(h)}: its SSH host key changed. The app refuses to connect.`}
      help="This happens when the host was reinstalled or its keys were regenerated — or when someone intercepts the connection. Ask the host's admin. Once the new key is confirmed, remove the host here and add it again to trust the new key."
      testId="host-hostkey-mismatch"
    />
  );
}

/** Per lab host: a host key to decide on, a changed key, or the host being unreachable. */
export function HostNotices() {
  const hosts = useHostsStore((s) => s.items);
  const dismissed = useUiStore((s) => s.dismissedHostKeys);
  const hidden = useUiStore((s) => s.hiddenHostBanners);
  const unhide = useUiStore((s) => s.hideHostBanner);
  // Hidden for this outage only: once the host is connected, the next outage shows again.
  useEffect(() => {
    for (const h of hosts) if (h.state === 'connected' && hidden.includes(h.id)) unhide(h.id, false);
  }, [hosts, hidden, unhide]);
  return hosts.map((h) => {
    const k = h.hostKey;
    if (k?.state === 'unknown' && k.fingerprint && !dismissed.includes(k.fingerprint)) return <UnknownKey key={h.id} h={h} />;
    if (k?.state === 'mismatch') return <ChangedKey key={h.id} h={h} />;
    return h.state === 'unreachable' && !hidden.includes(h.id) ? <Unreachable key={h.id} h={h} /> : null;
  });
}
