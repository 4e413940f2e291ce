import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { border0SocketName } from '../../../shared/border0-sockets';
import { PUBLICATION_TYPES, transportOf, type ProviderInfo, type PublicationType } from '../../../shared/model';
import { defaultTypeForPort, socketName } from '../../../shared/publish-defaults';
import { FormError } from '../../components/form-error';
import { Modal } from '../../components/modal';
import { parseAccessList } from '../../lib/format';
import { useAction } from '../../lib/use-action';
import { canPublishWith, useBorder0Account } from '../../stores/use-accounts-store';
import { useProvidersStore } from '../../stores/use-providers-store';
import { useUiStore, type PublishTarget } from '../../stores/use-ui-store';
import { publish } from './actions';
import { Border0LoginNeeded, ProviderFields } from './publish-provider-fields';

/** Mounted only while a chip was clicked, so its state starts fresh each time. */
export function PublishDialogHost() {
  const target = useUiStore((s) => s.publishTarget);
  if (!target) return null;
  return <PublishDialog key={`${target.host}/${target.lab}/${target.node}/${target.protocol}/${target.port}`} target={target} />;
}

/** Why the provider cannot carry type `t`, as its capabilities say; undefined when it can (or is not known yet). */
const whyNot = (p: ProviderInfo | undefined, t: PublicationType) => p?.capabilities.unavailable[t];

function PublishDialog({ target }: { target: PublishTarget }) {
  const providers = useProvidersStore((s) => s.items);
  const close = useUiStore((s) => s.closePublish);
  const highlight = useUiStore((s) => s.highlightPublication);
  const [type, setType] = useState<PublicationType>(() => defaultTypeForPort(target.port, target.protocol));
  // A UDP port is published as udp, a TCP port as one of the types that ride on TCP.
  const fits = (t: PublicationType) => transportOf(t) === target.protocol;
  const [providerId, setProviderId] = useState('local');
  const [access, setAccess] = useState('');
  const [publicPort, setPublicPort] = useState('');
  const publishing = useAction(publish, {
    then: (id) => {
      close();
      highlight(id);
    },
  });
  const provider = providers.find((p) => p.id === providerId);
  const border0Account = useBorder0Account();
  const cannot = whyNot(provider, type);
  const needsLogin = !cannot && provider?.kind === 'border0' && (!provider.configured || (border0Account !== undefined && !canPublishWith(border0Account)));

  const chooseProvider = (id: string) => {
    setProviderId(id);
    const next = providers.find((p) => p.id === id);
    // Another type of the same transport when there is one; else the reason shows and Publish waits.
    if (next && whyNot(next, type)) setType(next.capabilities.types.find(fits) ?? type);
  };
  const optionNote = (t: PublicationType) => (!fits(t) ? (target.protocol === 'udp' ? 'TCP only: this is a UDP port' : 'for UDP ports') : whyNot(provider, t));

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (needsLogin || cannot) return;
    void publishing.run({
      host: target.host,
      lab: target.lab,
      node: target.node,
      port: target.port,
      type,
      provider: providerId,
      access: provider?.capabilities.accessControl === false ? [] : parseAccessList(access),
      publicPort: provider?.capabilities.choosePort && publicPort.trim() ? Number(publicPort) : undefined,
    });
  };

  // Inputs submit on Enter by themselves; selects do not, so do it for them.
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'SELECT') {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <Modal title={`Publish ${target.node}:${target.port}${target.protocol === 'udp' ? '/udp' : ''}`} onClose={close} testId="publish-dialog">
      <form className="form" onSubmit={submit} onKeyDown={onKeyDown} noValidate>
        <p className="muted">
          Lab <b>{target.lab}</b> on {target.host}, node <b className="mono">{target.node}</b> ({target.kind}), port{' '}
          <b className="mono">
            {target.port}
            {target.protocol === 'udp' ? '/udp' : ''}
          </b>
          {target.service ? ` (${target.service})` : ''}.
        </p>
        <label className="field">
          <span>Type</span>
          <select value={type} onChange={(e) => setType(e.target.value as PublicationType)} data-testid="publish-type" autoFocus>
            {PUBLICATION_TYPES.map((t) => (
              <option key={t} value={t} disabled={!!optionNote(t)}>
                {t}
                {optionNote(t) ? ` (${optionNote(t)})` : ''}
              </option>
            ))}
          </select>
        </label>
        <ProviderFields
          providers={providers}
          provider={provider}
          providerId={providerId}
          onProvider={chooseProvider}
          type={type}
          access={access}
          onAccess={setAccess}
          publicPort={publicPort}
          onPublicPort={setPublicPort}
        />
        <div className="field">
          <span>Socket name</span>
          <code data-testid="publish-name">
            {provider?.kind === 'border0' ? border0SocketName({ host: target.host, lab: target.lab, node: target.node, type, port: target.port }) : socketName(target.node, type, target.port)}
          </code>
        </div>
        {cannot ? (
          <div className="notice notice-warn" role="alert" data-testid="publish-unavailable">
            <div className="notice-body">
              <strong>
                {provider?.label} cannot publish {type}.
              </strong>
              <span className="help">{cannot}</span>
            </div>
          </div>
        ) : null}
        {needsLogin ? <Border0LoginNeeded /> : null}
        <FormError error={publishing.error} testId="publish-error" />
        <div className="form-actions">
          <button type="button" className="btn" onClick={close} title="Close without publishing (Escape)">
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={publishing.busy || needsLogin || !!cannot} data-testid="publish-submit" title={cannot ?? 'Publish (Enter)'}>
            {publishing.busy ? 'Publishing…' : 'Publish'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
