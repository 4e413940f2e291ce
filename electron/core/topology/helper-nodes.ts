/**
 * `kind: mysocketio` / `kind: border0` nodes ran the tunnel client inside the lab in
 * containerlab's publish era. This app does their job itself, so they are reported (with the
 * token file they mounted, which can be imported as an account) instead of published.
 */
import path from 'node:path';
import type { HelperNodeInfo, SourceLocation } from '../../../shared/topology-model';
import { bindDestination, bindSource, type ResolvedNode } from './inheritance';

export type HelperKind = HelperNodeInfo['kind'];

export function isHelperKind(kind: string): kind is HelperKind {
  return kind === 'mysocketio' || kind === 'border0';
}

const TOKEN_FILES = ['.mysocketio_token', '.border0_token'];

/** The host side of the bind that mounted the token, resolved beside the topology file. */
export function helperTokenFile(binds: readonly string[], topologyFile: string): string | undefined {
  const dest = (b: string) => bindDestination(b);
  // The well-known file names first: a bind ending in just "token" is a weaker guess.
  const bind =
    binds.find((b) => bindSource(b) && TOKEN_FILES.some((t) => dest(b).endsWith(t))) ??
    binds.find((b) => bindSource(b) && dest(b).endsWith('token'));
  const src = bind && bindSource(bind);
  if (!src) return undefined;
  // `~` is the home of whoever deployed the lab (often root under sudo): left for the
  // importer to resolve rather than guessed here.
  if (path.isAbsolute(src) || src.startsWith('~')) return src;
  return path.join(path.dirname(topologyFile), src);
}

export function helperInfo(node: ResolvedNode, kind: HelperKind, location: SourceLocation, topologyFile: string): HelperNodeInfo {
  const info: HelperNodeInfo = { node: node.name, kind, location };
  const tokenFile = helperTokenFile(node.binds, topologyFile);
  if (tokenFile) info.tokenFile = tokenFile;
  const proxy = node.extras?.['mysocket-proxy']?.trim();
  if (proxy) info.proxy = proxy;
  return info;
}
