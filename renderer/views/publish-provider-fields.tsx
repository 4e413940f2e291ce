import type { ProviderInfo } from '../../shared/model';

interface Props {
  providers: ProviderInfo[];
  provider: ProviderInfo | undefined;
  providerId: string;
  onProvider: (id: string) => void;
  access: string;
  onAccess: (v: string) => void;
  publicPort: string;
  onPublicPort: (v: string) => void;
}

/** Provider choice and what it allows: access list, public port. */
export function ProviderFields({ providers, provider, providerId, onProvider, access, onAccess, publicPort, onPublicPort }: Props) {
  const accessControl = provider?.capabilities.accessControl ?? false;
  const list = providers.length ? providers : [{ id: 'local', label: 'Local', configured: true } as ProviderInfo];
  return (
    <>
      <label className="field">
        <span>Provider</span>
        <select value={providerId} onChange={(e) => onProvider(e.target.value)} data-testid="publish-provider">
          {list.map((p) => (
            <option key={p.id} value={p.id} disabled={!p.configured}>
              {p.label}
              {p.configured ? '' : ' — configure in Providers'}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Access</span>
        <input
          type="text"
          value={accessControl ? access : ''}
          onChange={(e) => onAccess(e.target.value)}
          disabled={!accessControl}
          placeholder={accessControl ? 'anyone; or alice@example.com, example.org' : 'anyone who can reach the address'}
          data-testid="publish-access"
          aria-describedby="publish-access-help"
        />
        <small id="publish-access-help" className="help">
          {accessControl
            ? 'Comma-separated emails and domains allowed in; empty lets anyone in.'
            : `${provider?.label ?? providerId} cannot check who connects: anyone who can reach the address gets through.`}
        </small>
      </label>
      {provider?.capabilities.choosePort ? (
        <label className="field">
          <span>Public port</span>
          <input
            type="number"
            min={0}
            max={65535}
            value={publicPort}
            onChange={(e) => onPublicPort(e.target.value)}
            placeholder="any free port"
            data-testid="publish-public-port"
          />
        </label>
      ) : null}
    </>
  );
}
