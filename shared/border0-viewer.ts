/**
 * What someone given a border0 address has to do to get through, per socket type (facts:
 * docs/border0.md, "What viewers need"). Every border0 socket signs people in (cloud
 * authentication is always on), so plain `ssh -p` or `nc` to the DNS name never works: the
 * Published ports table, its copy buttons and share cards all take their commands from here.
 */
import type { PublicationType } from './model';
import { border0SocketType, type Border0SocketType } from './border0-sockets';

export interface Border0ViewerAccess {
  socketType: Border0SocketType;
  /** The line to copy, when a command gets there. */
  command?: string;
  /** The link to open (http sockets). */
  url?: string;
  /** True when `command` is an ssh line through border0's client (the ssh copy button, ssh_config's ProxyCommand). */
  ssh: boolean;
  /** What the viewer needs, in one or two sentences. */
  needs: string;
  /** The same in a few words, for a card next to the command. */
  note: string;
}

export const BORDER0_CLIENT_NEEDED = 'the border0 CLI, signed in to the organisation ("border0 client login")';

/** The ProxyCommand line for SSH over a tls socket: the one place that knows its format. */
export function border0ProxyCommand(dnsName: string, user = '<user>'): string {
  return `ssh -o ProxyCommand="border0 client tls --host %h" ${user}@${dnsName}`;
}

/**
 * `port` is the node's port; `user` the login on the node when known (shell-quoted by the
 * caller). `speaks` says what a viewer runs against the port when it is not plain SSH on 22:
 * `ssh` (or `netconf`, an SSH subsystem) over a tls socket goes through the ProxyCommand line.
 * `dnsName` is the socket's DNS name.
 */
export function border0ViewerAccess(p: { type: PublicationType; port: number; dnsName: string; user?: string; speaks?: 'ssh' | 'netconf' }): Border0ViewerAccess {
  const { socketType } = border0SocketType(p.type);
  const speaks = p.speaks ?? (p.port === 22 ? 'ssh' : undefined);
  switch (socketType) {
    case 'http':
      return {
        socketType,
        url: `https://${p.dnsName}/`,
        ssh: false,
        needs: 'a browser: border0 asks who they are first, and the allowed emails and domains (or the organisation\'s policies) decide who gets in',
        note: 'border0 asks who they are in the browser',
      };
    case 'ssh':
      return {
        socketType,
        command: `border0 client ssh --host ${p.dnsName}`,
        ssh: false,
        needs:
          `${BORDER0_CLIENT_NEEDED}. border0 ends SSH itself and logs in to the node with a certificate from the organisation's SSH CA: ` +
          'the node must trust that CA (sshd TrustedUserCAKeys); a node that only takes a password does not work behind an ssh socket',
        note: "needs border0's client; border0 ends SSH, the node must trust border0's SSH CA",
      };
    case 'tls':
      return speaks
        ? {
            socketType,
            command: `${border0ProxyCommand(p.dnsName, p.user)}${speaks === 'netconf' ? ' -s netconf' : ''}`,
            ssh: true,
            needs: `${BORDER0_CLIENT_NEEDED}, used as ssh's ProxyCommand`,
            note: 'needs border0\'s client ("border0 client login" first)',
          }
        : {
            socketType,
            command: `border0 client tls --host ${p.dnsName} --listener ${p.port}`,
            ssh: false,
            needs: `${BORDER0_CLIENT_NEEDED}: it listens on localhost:${p.port} and carries what connects there to the node (border0 has no anonymous TCP)`,
            note: `needs border0's client; then connect to localhost:${p.port}`,
          };
  }
}
