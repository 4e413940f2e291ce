/**
 * The ready command for one shared port, chosen by type, port and kind. Facts about the kinds'
 * ports and their clients: docs/kind-default-users.md.
 */
import { border0ViewerAccess } from './border0-viewer';
import type { CardPortInput } from './share-card-model';

export type Service = 'SSH' | 'NETCONF' | 'gNMI' | 'JSON-RPC' | 'eAPI' | 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'SNMP' | 'syslog' | 'UDP';

const GNMI_PORTS = new Set([57400, 6030, 9339, 32767]);
const WEB_PORTS: Record<number, 'http' | 'https'> = { 80: 'http', 8080: 'http', 3000: 'http', 9090: 'http', 443: 'https', 8443: 'https' };

const isSrl = (kind: string) => kind === 'nokia_srlinux' || kind === 'srl';
const isCeos = (kind: string) => kind === 'arista_ceos' || kind === 'ceos';

export function serviceOf(p: Pick<CardPortInput, 'port' | 'type' | 'kind'>): Service {
  // UDP ports are their own: UDP 22 is no SSH.
  if (p.type === 'udp') return p.port === 161 ? 'SNMP' : p.port === 514 ? 'syslog' : 'UDP';
  const kind = p.kind.toLowerCase();
  if (p.type === 'ssh' || p.port === 22) return 'SSH';
  if (p.port === 830) return 'NETCONF';
  if (GNMI_PORTS.has(p.port)) return 'gNMI';
  if (p.port === 443 && isSrl(kind)) return 'JSON-RPC';
  if (p.port === 443 && isCeos(kind)) return 'eAPI';
  if (p.type === 'http') return 'HTTP';
  if (p.type === 'https') return 'HTTPS';
  const web = WEB_PORTS[p.port];
  if (web) return web === 'http' ? 'HTTP' : 'HTTPS';
  return p.type === 'tls' ? 'TLS' : 'TCP';
}

/** Services reached with an SSH client (and so listed in the ssh_config). */
export const isSshCapable = (s: Service): boolean => s === 'SSH' || s === 'NETCONF';

/**
 * Every border0 socket signs people in (cloud authentication is always on; with no list the
 * organisation's policies decide): people connect through border0's client or browser sign-in.
 */
export const viaBorder0Client = (p: Pick<CardPortInput, 'provider'>): boolean => p.provider === 'border0';

/** `'it''s'` style quoting for POSIX shells, only when the word needs it. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `host:port` with brackets around IPv6 literals. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `user@host` for ssh: IPv6 literals need no brackets there. */
const at = (user: string, host: string) => `${shellQuote(user)}@${host}`;

export interface PortCommand {
  command?: string;
  url?: string;
  note?: string;
}

/** The command (and link) for a port at `host:port`; `password` only when the owner included it. */
export function commandFor(service: Service, p: CardPortInput, host: string, port: number): PortCommand {
  const user = p.user;
  const pass = p.password;
  const kind = p.kind.toLowerCase();
  if (viaBorder0Client(p) && p.type) {
    // The same commands as the Published ports table (shared/border0-viewer.ts).
    const speaks = service === 'SSH' ? 'ssh' : service === 'NETCONF' ? 'netconf' : undefined;
    const a = border0ViewerAccess({ type: p.type, port: p.port, dnsName: host, user: shellQuote(user), speaks });
    return { command: a.command, url: a.url, note: a.note };
  }
  switch (service) {
    case 'SSH':
      return { command: `ssh -p ${port} ${at(user, host)}` };
    case 'NETCONF':
      return { command: `ssh -p ${port} ${at(user, host)} -s netconf` };
    case 'gNMI': {
      // cEOS serves gNMI as plain gRPC; the others (SR Linux, XR, Junos) with TLS.
      const tls = isCeos(kind) && p.port === 6030 ? '--insecure' : '--skip-verify';
      const pw = pass ? ` -p ${shellQuote(pass)}` : '';
      return { command: `gnmic -a ${hostPort(host, port)} ${tls} -u ${shellQuote(user)}${pw} capabilities` };
    }
    case 'JSON-RPC': {
      const url = `https://${hostPort(host, port)}/`;
      const body = `'{"jsonrpc":"2.0","id":1,"method":"get","params":{"commands":[{"path":"/system/information","datastore":"state"}]}}'`;
      return { url, command: `curl -sk -u ${shellQuote(pass ? `${user}:${pass}` : user)} https://${hostPort(host, port)}/jsonrpc -d ${body}` };
    }
    case 'eAPI':
    case 'HTTPS':
      return { url: `https://${hostPort(host, port)}/` };
    case 'HTTP':
      return { url: `http://${hostPort(host, port)}/` };
    case 'TLS':
    case 'TCP':
      return {};
    case 'SNMP':
      return { command: `snmpget -v2c -c public ${host.includes(':') ? `udp6:[${host}]` : `udp:${host}`}:${port} 1.3.6.1.2.1.1.1.0`, note: 'UDP; the community the node is configured with (public is the usual default)' };
    case 'syslog':
      return { command: `logger -n ${host} -P ${port} -d 'hello'`, note: 'UDP: one syslog message' };
    case 'UDP':
      return { note: 'UDP' };
  }
}
