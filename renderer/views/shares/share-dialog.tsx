import { useMemo, useState, type FormEvent } from 'react';
import { socketName } from '../../../shared/publish-defaults';
import { FormError } from '../../components/form-error';
import { Modal } from '../../components/modal';
import { parseAccessList } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { usePublicationsStore } from '../../stores/use-publications-store';
import { useSharesStore, shareOfPort } from '../../stores/use-shares-store';
import { useUiStore } from '../../stores/use-ui-store';
import { createShare } from './actions';
import { ExpiryField, localInputValue, untilOf, type ExpiryChoice } from './share-expiry-field';

/** Mounted only while open, so each opening starts fresh. */
export function ShareDialogHost() {
  const target = useUiStore((s) => s.shareTarget);
  if (!target) return null;
  return <ShareDialog key={`${target.host}/${target.lab}`} host={target.host} lab={target.lab} />;
}

/** "Share this lab": which published ports, until when, from where, with which credentials. */
function ShareDialog({ host, lab }: { host: string; lab: string }) {
  const close = useUiStore((s) => s.openShareDialog);
  const selectShare = useUiStore((s) => s.selectShare);
  const publications = usePublicationsStore((s) => s.items);
  const shares = useSharesStore((s) => s.items);
  const ports = useMemo(() => publications.filter((p) => p.host === host && p.lab === lab), [publications, host, lab]);
  const [title, setTitle] = useState(`${lab} lab`);
  const [picked, setPicked] = useState<Set<string>>(() => new Set(ports.filter((p) => !shareOfPort(shares, host, lab, p.node, p.port)).map((p) => p.id)));
  const [choice, setChoice] = useState<ExpiryChoice>('4h');
  const [custom, setCustom] = useState(() => localInputValue(Date.now() + 2 * 3600_000));
  const [allow, setAllow] = useState('');
  const [creds, setCreds] = useState(false);
  const sharing = useAction(createShare, {
    then: (share) => {
      close(null);
      selectShare(share.id);
    },
  });

  const toggle = (id: string) => setPicked((s) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    void sharing.run({
      host,
      lab,
      title: title.trim() || undefined,
      ports: ports.filter((p) => picked.has(p.id)).map((p) => ({ node: p.node, port: p.port })),
      until: untilOf(choice, custom),
      allow: parseAccessList(allow),
      includeCredentials: creds,
    });
  };

  return (
    <Modal title={`Share lab ${lab}`} onClose={() => close(null)} testId="share-dialog">
      <form className="form" onSubmit={submit} noValidate>
        <label className="field">
          <span>Title</span>
          <input type="text" value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} data-testid="share-title" autoFocus />
        </label>
        <fieldset className="field share-ports">
          <legend>Ports</legend>
          {ports.length === 0 ? <p className="muted">No published ports in this lab: publish a port first (click its chip).</p> : null}
          {ports.map((p) => {
            const other = shareOfPort(shares, host, lab, p.node, p.port);
            return (
              <label key={p.id} className="field field-check" title={other ? `already in share "${other.title}"` : undefined}>
                <input type="checkbox" checked={picked.has(p.id)} onChange={() => toggle(p.id)} disabled={!!other} data-testid={`share-port-${p.node}-${p.port}`} />
                <span className="mono">{socketName(p.node, p.type, p.port)}</span>
                <span className="muted">via {p.provider}{other ? ` — in "${other.title}"` : ''}</span>
              </label>
            );
          })}
        </fieldset>
        <div className="field">
          <span>Shared until</span>
          <ExpiryField choice={choice} custom={custom} onChoice={setChoice} onCustom={setCustom} testId="share-expiry" />
        </div>
        <label className="field">
          <span>Allowed sources</span>
          <input type="text" value={allow} onChange={(e) => setAllow(e.target.value)} placeholder="203.0.113.7, 198.51.100.0/24, 2001:db8::/48" data-testid="share-allow" />
          <span className="help">IPv4/IPv6 addresses or CIDRs, for the local and SSH relay providers. Empty: anyone who finds the port.</span>
        </label>
        <label className="field field-check">
          <input type="checkbox" checked={creds} onChange={(e) => setCreds(e.target.checked)} data-testid="share-include-credentials" />
          <span>Include credentials on the card (the kinds&apos; default passwords, or the ones you set)</span>
        </label>
        <FormError error={sharing.error} testId="share-error" />
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => close(null)}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={sharing.busy || picked.size === 0} data-testid="share-submit">
            {sharing.busy ? 'Sharing…' : `Share ${picked.size} port${picked.size === 1 ? '' : 's'}`}
          </button>
        </div>
      </form>
    </Modal>
  );
}
