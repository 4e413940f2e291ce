/**
 * What makes a new publication valid, in one place: every publication goes through here,
 * whether the user made it in the UI or a topology file's entry did. The provider's
 * capabilities (shared/provider-capabilities.ts) are the facts; the publish dialog reads the
 * same ones from `ProviderInfo.capabilities` to offer only what will pass.
 */
import type { ParamsOut } from '../../../shared/contract';
import { transportOf, type Publication, type ProviderInfo } from '../../../shared/model';
import { socketName } from '../../../shared/publish-defaults';
import { AppError } from '../../../shared/rpc-errors';

export type NewPublication = ParamsOut<'publications.add'>;

export interface RuleContext {
  /** The lab hosts known now, by id. */
  hosts: string[];
  existing: readonly Publication[];
  /** Looked up after the cheaper checks; throws not_found for an unknown provider id. */
  provider: (id: string) => ProviderInfo;
}

/** What the rules settle about the publication: the access list as it will be enforced. */
export interface Checked {
  access: string[];
  accessKind: Publication['accessKind'];
  publicPort: number | undefined;
  provider: ProviderInfo;
}

/** Throws the AppError that names the first broken rule and what to do; returns what passed. */
export function checkPublication(p: NewPublication, ctx: RuleContext): Checked {
  if (!ctx.hosts.includes(p.host)) {
    throw new AppError('not_found', `unknown lab host "${p.host}"`, `known hosts: ${ctx.hosts.join(', ')}`, 'host');
  }
  // TCP 161 and UDP 161 are two ports of the node: each may be published once.
  const transport = transportOf(p.type);
  const existing = ctx.existing.find((e) => e.host === p.host && e.lab === p.lab && e.node === p.node && e.port === p.port && transportOf(e.type) === transport);
  if (existing) {
    throw new AppError(
      'conflict',
      `${p.lab}/${p.node} ${transport === 'udp' ? 'UDP ' : ''}port ${p.port} is already published as ${socketName(existing.node, existing.type, existing.port)} (id ${existing.id}, via ${existing.provider})`,
      'unpublish it first to publish it again with other settings',
    );
  }
  const provider = ctx.provider(p.provider);
  const caps = provider.capabilities;
  if (!caps.types.includes(p.type)) {
    throw new AppError('invalid_params', `provider ${provider.label} cannot publish type ${p.type}`, `choose one of: ${caps.types.join(', ')}`, 'type');
  }
  const access = p.access.map((a) => a.trim()).filter(Boolean);
  if (access.length && !caps.accessControl) {
    // Never publish open what the user asked to restrict.
    throw new AppError(
      'refused',
      `provider ${provider.label} cannot enforce an access list, and publishing it open instead is not allowed`,
      'leave the access list empty, or use a provider with access control (border0)',
      'access',
    );
  }
  if (p.publicPort && !caps.choosePort) {
    throw new AppError('invalid_params', `provider ${provider.label} chooses public ports itself`, 'leave the public port empty', 'publicPort');
  }
  return {
    access,
    // An access kind means nothing without a list to apply it to.
    accessKind: access.length ? (p.accessKind ?? 'emails-domains') : undefined,
    publicPort: p.publicPort || undefined,
    provider,
  };
}
