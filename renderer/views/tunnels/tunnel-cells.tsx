import type { Tunnel } from '../../../shared/model';
import { border0ViewerAccess, type Border0ViewerAccess } from '../../../shared/border0-viewer';
import { ConfirmButton } from '../../components/confirm-button';
import { CopyButton } from '../../components/copy-button';
import { Countdown } from '../../components/countdown';
import { StateBadge } from '../../components/state-badge';
import { endpointHost, formatAddress } from '../../lib/format';
import { showTunnelLogs } from '../../stores/use-logs-store';
import { useAction } from '../../lib/use-action';

/** State word, the reason in words, and the retry countdown while reconnecting. */
export function TunnelStateCell({ t }: { t: Tunnel }) {
  return (
    <div className="state-cell" title={t.lastError ? `last error: ${t.lastError}` : undefined}>
      <StateBadge state={t.state} testId="tunnel-state" />
      {t.reason ? (
        <span className="reason" data-testid="tunnel-reason">
          {t.reason}
        </span>
      ) : null}
      {t.state === 'reconnecting' && t.nextRetryAt ? <Countdown at={t.nextRetryAt} testId="tunnel-retry" /> : null}
    </div>
  );
}

/** The socket name; its "logs" action shows only this tunnel's entries in the log viewer. */
export function TunnelNameCell({ t }: { t: Tunnel }) {
  const pending = t.id.startsWith('pending:');
  return (
    <div className="name-cell">
      <span className="mono">{t.name}</span>
      {pending ? null : (
        <button type="button" className="btn-link" onClick={() => showTunnelLogs(t.id)} title={`Show the log entries of ${t.name}`} data-testid="tunnel-logs">
          logs
        </button>
      )}
    </div>
  );
}

/** What a viewer of a border0 socket copies: the line that really gets through, per socket type. */
function Border0Commands({ a }: { a: Border0ViewerAccess }) {
  return (
    <>
      {a.command ? (
        <CopyButton
          text={a.command}
          title={`Copy the command for viewers (they need ${a.needs})`}
          testId={a.ssh ? 'tunnel-copy-proxycommand' : a.socketType === 'ssh' ? 'tunnel-copy-border0-ssh' : 'tunnel-copy-border0-tls'}
        >
          {a.ssh ? 'ssh via border0' : a.socketType === 'ssh' ? 'border0 ssh' : 'border0 client'}
        </CopyButton>
      ) : null}
      {a.socketType === 'ssh' ? (
        // Plain `ssh -p` cannot work here: say what does instead of offering it.
        <small className="help" title={a.needs} data-testid="tunnel-border0-ssh-note">
          border0 ends SSH: the node must trust border0&apos;s SSH CA
        </small>
      ) : null}
    </>
  );
}

/** `host:port` (a border0 DNS name with its port) with copy buttons: the ssh command, or border0's client where it is needed. */
export function TunnelAddressCell({ t }: { t: Tunnel }) {
  if (!t.endpoint) return <span className="muted">{t.state === 'stopped' ? 'closed' : 'not yet'}</span>;
  const host = endpointHost(t.endpoint);
  const address = formatAddress(host, t.endpoint.port);
  const border0 = t.provider === 'border0' ? border0ViewerAccess({ type: t.type, port: t.port, dnsName: t.endpoint.dnsName || host }) : undefined;
  return (
    <div className="address-cell" title={border0 ? `Viewers need ${border0.needs}` : undefined}>
      <code data-testid="tunnel-address">{address}</code>
      <CopyButton text={address} title="Copy address" testId="tunnel-copy">
        Copy
      </CopyButton>
      {border0 ? (
        <Border0Commands a={border0} />
      ) : t.port === 22 && t.type !== 'udp' ? (
        <CopyButton text={`ssh -p ${t.endpoint.port} ${host}`} title="Copy ssh command" testId="tunnel-copy-ssh">
          ssh
        </CopyButton>
      ) : udpCommand(t, host, t.endpoint.port)}
    </div>
  );
}

/** For the UDP services people test by hand: the client command, ready to paste (sysDescr.0 by number: no MIB files needed). */
function udpCommand(t: Tunnel, host: string, port: number) {
  if (t.type !== 'udp') return null;
  const where = host.includes(':') ? `udp6:[${host}]:${port}` : `udp:${host}:${port}`;
  if (t.port === 161) {
    return (
      <CopyButton text={`snmpget -v2c -c public ${where} 1.3.6.1.2.1.1.1.0`} title="Copy an snmpget through this tunnel (community public)" testId="tunnel-copy-snmpget">
        snmpget
      </CopyButton>
    );
  }
  if (t.port === 514) {
    return (
      <CopyButton text={`logger -n ${host} -P ${port} -d 'hello from clab-publisher'`} title="Copy a logger command sending one syslog message through this tunnel" testId="tunnel-copy-logger">
        logger
      </CopyButton>
    );
  }
  return null;
}

/** Open in the browser (http/https) and unpublish with an inline confirmation. */
export function TunnelActionsCell({ t, onUnpublish }: { t: Tunnel; onUnpublish: (t: Tunnel) => Promise<unknown> }) {
  const url = !t.endpoint
    ? null
    : t.provider === 'border0'
      ? (border0ViewerAccess({ type: t.type, port: t.port, dnsName: t.endpoint.dnsName || endpointHost(t.endpoint) }).url ?? null)
      : t.type === 'http' || t.type === 'https'
        ? `${t.type}://${formatAddress(endpointHost(t.endpoint), t.endpoint.port)}/`
        : null;
  const unpublish = useAction(onUnpublish, { failure: `Unpublishing ${t.node}:${t.port} failed` });
  return (
    <div className="actions-cell">
      {url ? (
        <button
          type="button"
          className="btn btn-small"
          title={`Open ${url} in the browser`}
          aria-label={`Open ${url} in the browser`}
          data-testid="tunnel-open"
          onClick={() => window.open(url, '_blank', 'noopener,noreferrer')}
        >
          Open
        </button>
      ) : null}
      <ConfirmButton onConfirm={() => unpublish.run(t)} title={`Unpublish ${t.node}:${t.port}`} testId="tunnel-unpublish">
        Unpublish
      </ConfirmButton>
    </div>
  );
}
