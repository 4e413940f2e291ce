import type { Publication } from '../../../shared/model';
import type { ResolvedPublishEntry, TopologyDiagnostic, TopologyReport } from '../../../shared/topology-model';
import { AppError } from '../../../shared/rpc-errors';
import type { PublicationService } from '../publications/publication-service';

const keyOf = (node: string, port: number, type: string, access: string[], provider: string) => `${node}|${port}|${type}|${access.join(',')}|${provider}`;

/**
 * Makes the lab's `topology` publications equal to the file's entries: removes what this app
 * published earlier from the file and is no longer wanted (nothing else: UI-made publications
 * and other labs are left alone), adds what is missing. Entries the provider refuses become
 * located diagnostics; they never stop the others.
 */
export function syncLabPublications(opts: {
  publications: PublicationService;
  host: string;
  lab: string;
  report: TopologyReport | undefined;
  provider: string;
  enabled: boolean;
  /** Why not enabled, for the log of what is unpublished (auto-publish off by default). */
  why?: string;
}): TopologyDiagnostic[] {
  return opts.publications.batch(() => sync(opts));
}

function sync(opts: Parameters<typeof syncLabPublications>[0]): TopologyDiagnostic[] {
  const { publications, host, lab, provider } = opts;
  const mine = publications.list().filter((p) => p.host === host && p.lab === lab && p.origin === 'topology');
  const wanted = opts.enabled && opts.report ? opts.report.entries : [];
  const wantedKeys = new Set(wanted.map((e) => keyOf(e.node, e.entry.port, e.entry.type, e.entry.access, provider)));
  const stale = mine.filter((p) => !wantedKeys.has(keyOf(p.node, p.port, p.type, p.access, p.provider)));
  publications.removeMany(stale.map((p) => p.id), opts.enabled ? 'no longer in the topology file' : (opts.why ?? 'auto-publish is off for this lab'));

  const kept = new Map(mine.filter((p) => !stale.includes(p)).map((p) => [keyOf(p.node, p.port, p.type, p.access, p.provider), p]));
  const problems: TopologyDiagnostic[] = [];
  for (const e of wanted) {
    const same = kept.get(keyOf(e.node, e.entry.port, e.entry.type, e.entry.access, provider));
    if (same) {
      // Same publication, moved in the file (lines above it changed): keep the tunnel, fix the place.
      const src = sourceOf(e)!;
      if (same.source?.line !== src.line || same.source?.column !== src.column || same.source?.text !== src.text) publications.adoptIntoTopology(same.id, src);
      continue;
    }
    try {
      publications.add(
        { host, lab, node: e.node, port: e.entry.port, type: e.entry.type, provider, access: e.entry.access, accessKind: e.entry.accessKind === 'policies' ? 'policies' : 'emails-domains' },
        'topology',
        sourceOf(e),
      );
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      problems.push({ ...e.location, severity: 'error', text: e.text, node: e.node, message: `not published: ${err.message}`, hint: err.hint ?? 'see the message' });
    }
  }
  return problems;
}

export function sourceOf(e: ResolvedPublishEntry): Publication['source'] {
  return { file: e.location.file, line: e.location.line, column: e.location.column, text: e.text };
}
