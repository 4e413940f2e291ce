/**
 * Whether a provider can carry a file's entries. Two rules matter: an entry with an access list
 * needs a provider that enforces it (border0); publishing it open instead would hand the port to
 * anyone, so with `local` or `ssh` it is an error that says so. And the type must be one the
 * provider carries (border0 has no `udp`).
 */
import { PROVIDER_CAPABILITIES, type ProviderKind } from '../../../shared/provider-capabilities';
import type { ResolvedPublishEntry, TopologyDiagnostic, TopologyReport } from '../../../shared/topology-model';

export { isProviderKind, PROVIDER_KINDS, type ProviderKind } from '../../../shared/provider-capabilities';

/** Why `provider` cannot publish this entry, in words; undefined when it can. */
export function providerRefuses(e: ResolvedPublishEntry, provider: ProviderKind): { message: string; hint: string; at: number } | undefined {
  const caps = PROVIDER_CAPABILITIES[provider];
  if (!caps.types.includes(e.entry.type)) {
    return { at: 0, message: `${e.text}: the ${provider} provider cannot publish type ${e.entry.type} (${caps.unavailable[e.entry.type]})`, hint: `publish it through another provider (--provider ${e.entry.type === 'udp' ? 'local or ssh' : 'local'}), or remove the entry` };
  }
  if (e.entry.access.length && !caps.accessControl) {
    return {
      at: e.text.split('/').slice(0, 2).join('/').length + 1,
      message: `${e.text} has an access list, and the ${provider} provider cannot enforce one; publishing it open instead is not allowed`,
      hint: `use a provider with access control (--provider border0), or remove the access list: ${e.text.split('/').slice(0, 2).join('/')}`,
    };
  }
  return undefined;
}

export function checkForProvider(report: Pick<TopologyReport, 'entries'>, provider: ProviderKind): TopologyDiagnostic[] {
  // One error per entry as written: a defaults entry used by 50 nodes is one mistake.
  const byPlace = new Map<string, { entries: ResolvedPublishEntry[]; why: NonNullable<ReturnType<typeof providerRefuses>> }>();
  for (const e of report.entries) {
    const why = providerRefuses(e, provider);
    if (!why) continue;
    const key = `${e.location.file}:${e.location.line}:${e.location.column}`;
    const group = byPlace.get(key);
    if (group) group.entries.push(e);
    else byPlace.set(key, { entries: [e], why });
  }
  return [...byPlace.values()].map(({ entries: group, why }) => {
    const e = group[0];
    const nodes = group.length > 1 ? ` (nodes ${group.map((g) => g.node).join(', ')})` : '';
    return {
      ...e.location,
      column: e.location.column + why.at,
      severity: 'error' as const,
      text: e.text,
      textOffset: why.at,
      node: group.length === 1 ? e.node : undefined,
      message: `${why.message}${nodes}`,
      hint: why.hint,
    };
  });
}
