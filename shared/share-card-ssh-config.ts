import type { ShareCard } from './share-card-model';
import { formatWhen } from './share-time';

/**
 * The card's `ssh_config`: one `Host <lab>-<node>` per SSH-capable port, ready for
 * `ssh -F <file> <alias>` or to paste into ~/.ssh/config. HostKeyAlias ties the node's host key
 * to the alias rather than to the public port, which may change between shares.
 */
export function sshConfigText(card: Omit<ShareCard, 'sshConfig' | 'qr' | 'markdown'>, now = Date.now()): string {
  const lines: string[] = [`# ${oneLine(card.title)}: lab ${card.lab}`, `# ${untilText(card, now)}`];
  let any = false;
  for (const p of card.ports) {
    if (!p.sshAlias || !p.address) continue;
    any = true;
    const [host, port] = splitAddress(p.address);
    // border0: SSH over a tls socket goes through border0's client; an ssh socket has no ssh_config form.
    const viaBorder0 = p.command?.includes('ProxyCommand="border0 client tls');
    if (!viaBorder0 && p.note?.includes('border0')) {
      lines.push('', `# ${p.sshAlias}: ${p.command ?? 'see the card'} (${p.note})`);
      continue;
    }
    lines.push('', `Host ${p.sshAlias}`);
    if (viaBorder0) {
      lines.push(`  HostName ${host}`, '  ProxyCommand border0 client tls --host %h');
    } else {
      lines.push(`  HostName ${host}`, `  Port ${port}`);
    }
    lines.push(`  User ${p.user}`, `  HostKeyAlias ${p.sshAlias}`);
    if (p.service === 'NETCONF') lines.push(`  # NETCONF: ssh -F <this file> -s ${p.sshAlias} netconf`);
  }
  if (!any) lines.push('', '# no SSH port of this share has an address yet');
  return `${lines.join('\n')}\n`;
}

/** Whether the ssh_config says anything: some SSH-capable port of the share has an address. */
export function hasSshConfig(card: Pick<ShareCard, 'ports'>): boolean {
  return card.ports.some((p) => p.sshAlias && p.address);
}

/** "shared until 2026-08-21 18:00 (UTC+02:00)", "expired 2026-...", "shared until stopped". */
export function untilText(card: Pick<ShareCard, 'state' | 'expiresAt' | 'endedAt'>, now = Date.now()): string {
  if (card.state === 'revoked') return `sharing stopped${card.endedAt ? ` ${formatWhen(card.endedAt)}` : ''}`;
  if (card.state === 'expired') return `expired ${formatWhen(card.endedAt ?? card.expiresAt ?? now)}`;
  return card.expiresAt ? `shared until ${formatWhen(card.expiresAt)}` : 'shared until the owner stops sharing';
}

function splitAddress(address: string): [string, string] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i).replace(/^\[|\]$/g, ''), address.slice(i + 1)];
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');
