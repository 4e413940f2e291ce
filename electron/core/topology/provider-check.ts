/**
 * Whether a provider can carry a file's entries. The rule that matters: an entry with an
 * access list needs a provider that enforces it (border0); publishing it open instead would
 * hand the port to anyone, so with `local` or `ssh` it is an error that says so.
 */
import { PROVIDER_CAPABILITIES, type ProviderKind } from '../../../shared/provider-capabilities';
import type { ResolvedPublishEntry, TopologyDiagnostic, TopologyReport } from '../../../shared/topology-model';

export { isProviderKind, PROVIDER_KINDS, type ProviderKind } from '../../../shared/provider-capabilities';

export function checkForProvider(report: Pick<TopologyReport, 'entries'>, provider: ProviderKind): TopologyDiagnostic[] {
  if (PROVIDER_CAPABILITIES[provider].accessControl) return [];
  // One error per entry as written: a defaults entry used by 50 nodes is one mistake.
  const byPlace = new Map<string, ResolvedPublishEntry[]>();
  for (const e of report.entries) {
    if (e.entry.access.length === 0) continue;
    const key = `${e.location.file}:${e.location.line}:${e.location.column}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), e]);
  }
  return [...byPlace.values()].map((group) => {
    const e = group[0];
    const accessAt = e.text.split('/').slice(0, 2).join('/').length + 1;
    const nodes = group.length > 1 ? ` (nodes ${group.map((g) => g.node).join(', ')})` : '';
    return {
      ...e.location,
      column: e.location.column + accessAt,
      severity: 'error' as const,
      text: e.text,
      textOffset: accessAt,
      node: group.length === 1 ? e.node : undefined,
      message: `${e.text} has an access list, and the ${provider} provider cannot enforce one; publishing it open instead is not allowed${nodes}`,
      hint: `use a provider with access control (--provider border0), or remove the access list: ${e.text.split('/').slice(0, 2).join('/')}`,
    };
  });
}
