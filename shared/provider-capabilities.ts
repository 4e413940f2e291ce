import { PUBLICATION_TYPES, type ProviderCapabilities, type ProviderInfo, type PublicationType } from './model';

export type ProviderKind = ProviderInfo['kind'];
export const PROVIDER_KINDS: readonly ProviderKind[] = ['local', 'ssh', 'border0'];

export function isProviderKind(value: string): value is ProviderKind {
  return (PROVIDER_KINDS as readonly string[]).includes(value);
}

/**
 * What each kind of provider can carry, in one table: the providers announce it in
 * `ProviderInfo.capabilities`, the publication rules in the core check against it, the
 * offline `check` command reads it for a file's entries, and the publish dialog shows it.
 *   - local: a listener on this computer; anyone who reaches it gets through.
 *   - ssh: a remote forward on the relay (sshd checks nobody beyond the network).
 *   - border0: identity-aware sockets; the service enforces the access list; it chooses
 *     the public port itself. Its sockets are TCP-based (ssh, tls, http, https): no UDP
 *     (docs/border0.md, "Sockets and tunnels").
 */
const TCP_TYPES = PUBLICATION_TYPES.filter((t) => t !== 'udp');

export const PROVIDER_CAPABILITIES: Readonly<Record<ProviderKind, ProviderCapabilities>> = {
  local: capabilities([...PUBLICATION_TYPES], { accessControl: false, choosePort: true }),
  ssh: capabilities([...PUBLICATION_TYPES], { accessControl: false, choosePort: true }),
  border0: capabilities([...TCP_TYPES], {
    accessControl: true,
    choosePort: false,
    unavailable: { udp: 'border0 sockets carry TCP only: publish UDP through This computer or the SSH relay' },
  }),
};

/** Builds capabilities whose `unavailable` names a reason for every type left out of `types`. */
export function capabilities(
  types: PublicationType[],
  o: { accessControl: boolean; choosePort: boolean; unavailable?: Partial<Record<PublicationType, string>> },
): ProviderCapabilities {
  const unavailable: Partial<Record<PublicationType, string>> = {};
  for (const t of PUBLICATION_TYPES) if (!types.includes(t)) unavailable[t] = o.unavailable?.[t] ?? 'not offered by this provider';
  return { types, unavailable, accessControl: o.accessControl, choosePort: o.choosePort };
}
