import type { Tunnel } from '../../shared/model';

/** Files other tools read a border0 token from; export writes only these names. */
export const TOKEN_FILE_NAMES = ['.border0_token', '.mysocketio_token', '~/.border0/token'];

/**
 * The line a viewer runs to reach identity-aware ssh through border0's client.
 * The one place that knows the format: change it here.
 */
export function border0ProxyCommand(dnsName: string, user = '<user>'): string {
  return `ssh -o ProxyCommand="border0 client tls --host %h" ${user}@${dnsName}`;
}

/** A border0 ssh socket with an access list: viewers must go through border0's client. */
export function isIdentityAwareSsh(t: Pick<Tunnel, 'provider' | 'type' | 'port' | 'access'>): boolean {
  return t.provider === 'border0' && t.access.length > 0 && (t.type === 'ssh' || t.port === 22);
}
