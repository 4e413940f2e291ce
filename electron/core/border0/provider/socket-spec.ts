import type { SocketCreate } from '../api/api-types';
import type { Border0Policy } from '../api/api-types';
import { AppError } from '../../../../shared/rpc-errors';
import { splitEmailsAndDomains } from '../../../../shared/publish-grammar';
import type { ForwardSpec } from '../../providers/provider';

/** Tags that mark a socket as this app's, for this lab: the only sockets it ever deletes. */
export const APP_TAG = 'clab-publisher';
export const LAB_TAG = 'clab-lab';

export function isOurs(tags: Record<string, string> | null | undefined, lab?: string): boolean {
  return tags?.[APP_TAG] === 'true' && (lab === undefined || tags?.[LAB_TAG] === lab);
}

/** The socket for a publication: name, type, identity-aware access, our tags. */
export function socketFor(spec: ForwardSpec, policies: Border0Policy[] | undefined): SocketCreate {
  const body: SocketCreate = {
    name: spec.name,
    socket_type: spec.type,
    description: `clab-publisher: lab ${spec.lab}, node ${spec.node}, port ${spec.port}`,
    tags: { [APP_TAG]: 'true', [LAB_TAG]: spec.lab, 'clab-node': spec.node },
  };
  if (!spec.access.length) return body;
  if (spec.accessKind === 'policies') {
    const known = new Set((policies ?? []).map((p) => p.name));
    const unknown = spec.access.filter((a) => !known.has(a));
    if (unknown.length) {
      throw new AppError('invalid_params', `unknown border0 polic${unknown.length > 1 ? 'ies' : 'y'}: ${unknown.join(', ')}`, known.size ? `policies in this organisation: ${[...known].join(', ')}` : 'this organisation has no policies yet: create them in the border0 portal');
    }
    return { ...body, policy_names: spec.access };
  }
  const { emails, domains } = splitEmailsAndDomains(spec.access);
  return {
    ...body,
    // Identity-aware tcp is carried over TLS, as the original feature did.
    socket_type: spec.type === 'tcp' ? 'tls' : spec.type,
    cloud_authentication_enabled: true,
    cloud_authentication_email_allowed_addressses: emails,
    cloud_authentication_email_allowed_domains: domains,
  };
}
