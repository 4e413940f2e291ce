import { useState, type FormEvent } from 'react';
import type { ProviderInfo } from '../../../shared/model';
import { SaveRow } from '../../components/save-row';
import { useAction } from '../../lib/use-action';
import { ProviderStatus } from '../../components/provider-status';
import { useTimedFlag } from '../../lib/use-timed-flag';
import { configureProvider } from './actions';
import { UdpIdleField } from './udp-idle-field';

const str = (v: unknown, d = '') => (v === undefined || v === null ? d : String(v));

/** An SSH relay the user controls: one connection, one remote forward per publication. */
export function SshProviderForm({ provider }: { provider: ProviderInfo }) {
  const s = provider.settings;
  const [f, setF] = useState(() => ({
    host: str(s.host),
    port: str(s.port, '22'),
    user: str(s.user),
    keyFile: str(s.keyFile),
    useAgent: s.useAgent === true,
    bindAddress: str(s.bindAddress),
    publicHost: str(s.publicHost),
    udpIdleSeconds: str(s.udpIdleSeconds, '60'),
  }));
  const [saved, markSaved] = useTimedFlag(2000);
  const configure = useAction(configureProvider, { failure: 'Saving the SSH relay failed', then: markSaved });
  const set = (k: keyof typeof f) => (e: { target: HTMLInputElement }) =>
    setF({ ...f, [k]: e.target.type === 'checkbox' ? e.target.checked : e.target.value });

  const save = (e: FormEvent) => {
    e.preventDefault();
    void configure.run({
      id: 'ssh',
      host: f.host.trim(),
      port: Number(f.port) || 22,
      user: f.user.trim(),
      keyFile: f.keyFile.trim() || undefined,
      useAgent: f.useAgent,
      bindAddress: f.bindAddress.trim(),
      publicHost: f.publicHost.trim() || undefined,
      udpIdleSeconds: Number(f.udpIdleSeconds),
    });
  };

  const input = (k: Exclude<keyof typeof f, 'useAgent' | 'udpIdleSeconds'>, label: string, testId: string, extra: Record<string, string> = {}) => (
    <label className="field">
      <span>{label}</span>
      <input type="text" value={f[k]} onChange={set(k)} data-testid={testId} spellCheck={false} {...extra} />
    </label>
  );

  return (
    <form className="form provider-section" onSubmit={save} aria-labelledby="ssh-title">
      <h3 id="ssh-title">{provider.label}</h3>
      <p className="help">
        An OpenSSH server (or sish-style service) you control; it needs <code>AllowTcpForwarding</code> and, for others to
        connect, <code>GatewayPorts clientspecified</code>.
      </p>
      <ProviderStatus provider={provider} />
      <div className="field-row">
        {input('host', 'Host', 'ssh-host', { placeholder: 'relay.example.com' })}
        {input('port', 'Port', 'ssh-port', { inputMode: 'numeric' })}
      </div>
      {input('user', 'User', 'ssh-user')}
      {input('keyFile', 'Private key file', 'ssh-keyfile', { placeholder: '~/.ssh/id_ed25519 on the machine running the app' })}
      <label className="field field-check">
        <input type="checkbox" checked={f.useAgent} onChange={set('useAgent')} data-testid="ssh-agent" />
        <span>Use ssh-agent (SSH_AUTH_SOCK) instead of a key file</span>
      </label>
      {input('bindAddress', 'Bind address on the relay', 'ssh-bind', { placeholder: 'empty: the relay decides' })}
      {input('publicHost', 'Public host name', 'ssh-public-host', { placeholder: 'when people reach the relay by another name' })}
      <UdpIdleField value={f.udpIdleSeconds} onChange={(v) => setF({ ...f, udpIdleSeconds: v })} testId="ssh-udp-idle" />
      <SaveRow saved={saved} testId="ssh-save" title="Save and (re)connect to the relay" />
    </form>
  );
}
