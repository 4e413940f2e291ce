import { AppError } from '../../../../shared/rpc-errors';
import type { SocketCreate } from '../api/api-types';
import { border0SocketName, border0SocketType, LOCAL_LAB_HOST } from '../../../../shared/border0-sockets';
import { splitEmailsAndDomains } from '../../../../shared/publish-grammar';
import type { ForwardSpec } from '../../providers/provider';

/**
 * Tags that mark a socket as this installation's, for one lab on one lab host: the only
 * sockets it ever deletes or replaces. The instance tag tells two clab-publishers in the same
 * organisation apart, so neither touches the other's sockets even for labs of the same name.
 */
export const APP_TAG = 'clab-publisher';
export const INSTANCE_TAG = 'clab-instance';
export const HOST_TAG = 'clab-host';
export const LAB_TAG = 'clab-lab';
export const NODE_TAG = 'clab-node';

export interface Owner {
  instance: string;
  host: string;
  lab: string;
}

export function isOurs(tags: Record<string, string> | null | undefined, o: Owner): boolean {
  return tags?.[APP_TAG] === 'true' && tags[INSTANCE_TAG] === o.instance && (tags[HOST_TAG] ?? LOCAL_LAB_HOST) === o.host && tags[LAB_TAG] === o.lab;
}

export const hostOf = (spec: Pick<ForwardSpec, 'host'>) => spec.host ?? LOCAL_LAB_HOST;

/** The socket's name at border0 (shared/border0-sockets.ts: the UI shows the same). */
export const nameFor = (spec: ForwardSpec) => border0SocketName({ host: hostOf(spec), lab: spec.lab, node: spec.node, type: spec.type, port: spec.port });

/**
 * The socket for a publication, as the border0 CLI creates one: cloud authentication always
 * on (with no allow-list, the organisation's policies decide who gets in), the type mapped to
 * one the service takes, our tags. Policies are not part of it: they are attached once the
 * socket exists.
 */
export function socketFor(spec: ForwardSpec, instance: string): SocketCreate {
  // The rules never send udp here (PROVIDER_CAPABILITIES.border0 leaves it out); say so if one slips by.
  if (spec.type === 'udp') throw new AppError('refused', 'border0 sockets carry TCP only', 'publish UDP through This computer or the SSH relay');
  const { socketType, upstreamType } = border0SocketType(spec.type);
  const body: SocketCreate = {
    name: nameFor(spec),
    socket_type: socketType,
    ...(upstreamType ? { upstream_type: upstreamType } : {}),
    description: `clab-publisher: lab ${spec.lab}, node ${spec.node}, ${spec.type}/${spec.port}`,
    cloud_authentication_enabled: true,
    tags: { [APP_TAG]: 'true', [INSTANCE_TAG]: instance, [HOST_TAG]: hostOf(spec), [LAB_TAG]: spec.lab, [NODE_TAG]: spec.node },
  };
  if (!spec.access.length || spec.accessKind === 'policies') return body;
  const { emails, domains } = splitEmailsAndDomains(spec.access);
  return { ...body, cloud_authentication_email_allowed_addressses: emails, cloud_authentication_email_allowed_domains: domains };
}
