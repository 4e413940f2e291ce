import { useMemo, useState, type FormEvent } from 'react';
import { kindDefaultUser, FALLBACK_SSH_USER } from '../../../shared/kind-users';
import type { LabNode } from '../../../shared/model';
import { FormError } from '../../components/form-error';
import { useAction } from '../../lib/use-action';
import { useLabsStore } from '../../stores/use-labs-store';
import { useSharesStore } from '../../stores/use-shares-store';
import { useOwnerTerminalsStore } from '../../stores/use-terminals-store';
import { ApiError } from '../../api/api-error';
import { forgetHostKey, openTerminal } from './actions';

interface NodeChoice {
  key: string;
  host: string;
  lab: string;
  node: LabNode;
}

const keyOf = (host: string, lab: string, node: string) => `${host}/${lab}/${node}`;

/**
 * Opens the owner's own terminal on a node: SSH (with a login typed now, used for this session
 * only and cleared from the form once sent, or the one a share stores) or the container
 * engine's shell for nodes without sshd.
 */
export function OpenTerminalForm({ prefill }: { prefill?: { host: string; lab: string; node: string; shareId?: string } | null }) {
  const labs = useLabsStore((s) => s.items);
  const shares = useSharesStore((s) => s.items);
  const add = useOwnerTerminalsStore((s) => s.add);
  const nodes = useMemo<NodeChoice[]>(
    () => labs.flatMap((l) => l.nodes.filter((n) => n.state === 'running').map((node) => ({ key: keyOf(l.host, l.name, node.name), host: l.host, lab: l.name, node }))),
    [labs],
  );
  // Keyed by the prefill: a "terminal on this node" from a share view starts a fresh form.
  const [picked, setPicked] = useState(prefill ? keyOf(prefill.host, prefill.lab, prefill.node) : '');
  const current = nodes.find((n) => n.key === picked) ?? nodes[0];
  const hasSsh = !!current?.node.ports.some((p) => p.port === 22 && p.protocol === 'tcp' && p.source === 'listening');
  const [via, setVia] = useState<'ssh' | 'engine' | null>(null);
  const chosenVia = via ?? (hasSsh ? 'ssh' : 'engine');
  const [port, setPort] = useState(22);
  const nodeShares = shares.filter((s) => current && s.host === current.host && s.lab === current.lab && s.ports.some((p) => p.node === current.node.name));
  const [loginFrom, setLoginFrom] = useState<string>(prefill?.shareId ?? 'typed');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [useKey, setUseKey] = useState(false);
  const [privateKey, setPrivateKey] = useState('');
  const [record, setRecord] = useState(false);
  // Set when the node's host key changed: the form offers to forget the recorded one.
  const [keyChanged, setKeyChanged] = useState<string | null>(null);
  const open = async (params: Parameters<typeof openTerminal>[0]) => {
    setKeyChanged(null);
    try {
      return await openTerminal(params);
    } catch (err) {
      if (err instanceof ApiError && err.field === 'hostKey') setKeyChanged(keyOf(params.host ?? 'local', params.lab, params.node));
      throw err;
    }
  };
  const forgetting = useAction(forgetHostKey, {
    failure: 'Forgetting the host key failed',
    success: (_n, _host, _lab, node) => ({ message: `Forgot the recorded host key of ${node}`, hint: 'The next terminal records the key it presents now.' }),
    then: () => {
      setKeyChanged(null);
      opening.setError(null);
    },
  });
  const opening = useAction(open, {
    then: (info) => {
      // The secret was for this one login: nothing of it stays in the page.
      setPassword('');
      setPrivateKey('');
      add(info);
    },
  });

  const defaultUser = (current && kindDefaultUser(current.node.kind)?.user) ?? FALLBACK_SSH_USER;
  const fromShare = loginFrom !== 'typed' && nodeShares.some((s) => s.id === loginFrom) ? loginFrom : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!current) return;
    const login = chosenVia === 'engine' ? undefined : fromShare ? { shareId: fromShare } : { username: user.trim() || defaultUser, ...(useKey ? { privateKey } : password ? { password } : {}) };
    // Opened at a guess; the view tells the core its real size as soon as it is drawn.
    void opening.run({ host: current.host, lab: current.lab, node: current.node.name, via: chosenVia, port, login, cols: 100, rows: 30, record });
  };

  if (!nodes.length) return <p className="muted">No running node to open a terminal on.</p>;
  return (
    <form className="open-terminal-form" onSubmit={submit} data-testid="open-terminal-form" noValidate>
      <label className="field">
        <span>Node</span>
        <select value={current?.key} onChange={(e) => (setPicked(e.target.value), setVia(null))} data-testid="terminal-node">
          {nodes.map((n) => (
            <option key={n.key} value={n.key}>
              {n.node.name} — lab {n.lab}
              {n.host !== 'local' ? ` on ${n.host}` : ''} ({n.node.kind})
            </option>
          ))}
        </select>
      </label>
      <fieldset className="field field-inline">
        <legend>Through</legend>
        <label className="field-check">
          <input type="radio" name="via" checked={chosenVia === 'ssh'} onChange={() => setVia('ssh')} data-testid="terminal-via-ssh" />
          <span>SSH</span>
        </label>
        <label className="field-check" title="docker exec into the node's container: for nodes without sshd">
          <input type="radio" name="via" checked={chosenVia === 'engine'} onChange={() => setVia('engine')} data-testid="terminal-via-engine" />
          <span>Container engine</span>
        </label>
      </fieldset>
      {chosenVia === 'ssh' ? (
        <>
          <label className="field field-port">
            <span>Port</span>
            <input type="number" min={1} max={65535} value={port} onChange={(e) => setPort(Number(e.target.value) || 22)} data-testid="terminal-port" />
          </label>
          <label className="field">
            <span>Login</span>
            <select value={fromShare ?? 'typed'} onChange={(e) => setLoginFrom(e.target.value)} data-testid="terminal-login-from">
              <option value="typed">Type it for this session</option>
              {nodeShares.map((s) => (
                <option key={s.id} value={s.id}>
                  As stored in share “{s.title}”
                </option>
              ))}
            </select>
          </label>
          {fromShare ? null : (
            <>
              <label className="field">
                <span>User</span>
                <input type="text" value={user} placeholder={defaultUser} onChange={(e) => setUser(e.target.value)} autoComplete="off" data-testid="terminal-user" />
              </label>
              {useKey ? (
                <label className="field field-wide">
                  <span>Private key</span>
                  <textarea value={privateKey} onChange={(e) => setPrivateKey(e.target.value)} rows={3} spellCheck={false} placeholder="-----BEGIN OPENSSH PRIVATE KEY-----" data-testid="terminal-key" />
                </label>
              ) : (
                <label className="field">
                  <span>Password</span>
                  <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" placeholder="for this session only" data-testid="terminal-password" />
                </label>
              )}
              <label className="field-check" title="Paste an unencrypted private key instead of a password">
                <input type="checkbox" checked={useKey} onChange={(e) => setUseKey(e.target.checked)} />
                <span>key</span>
              </label>
            </>
          )}
        </>
      ) : null}
      <label className="field-check" title="Record the session as an asciicast file (listed below, playable here)">
        <input type="checkbox" checked={record} onChange={(e) => setRecord(e.target.checked)} data-testid="terminal-record" />
        <span>Record</span>
      </label>
      <button type="submit" className="btn btn-primary" disabled={opening.busy} data-testid="terminal-open">
        {opening.busy ? 'Connecting…' : 'Open terminal'}
      </button>
      <FormError error={opening.error} testId="terminal-open-error" />
      {current && keyChanged === current.key ? (
        <button type="button" className="btn btn-small btn-danger" disabled={forgetting.busy} onClick={() => void forgetting.run(current.host, current.lab, current.node.name)} data-testid="terminal-forget-hostkey">
          Forget the recorded host key of {current.node.name}
        </button>
      ) : null}
    </form>
  );
}
