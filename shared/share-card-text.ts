import type { CardPort, ShareCard } from './share-card-model';
import { hasSshConfig, untilText } from './share-card-ssh-config';

/** Table cells: pipes and line breaks would break the row. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
/** Inline code that may itself contain backticks. */
const code = (s: string) => (s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``);

export const EXPOSURE_TEXT: Record<CardPort['exposure'], string> = {
  restricted: 'only from allowed addresses',
  identity: 'border0 sign-in',
  loopback: 'this computer only',
  open: 'open to anyone who finds the port',
};

function useOf(p: CardPort): string {
  const parts: string[] = [];
  if (p.command) parts.push(code(p.command));
  if (p.url) parts.push(p.url);
  if (!parts.length) parts.push(p.address ? code(p.address) : '—');
  if (p.note) parts.push(`(${p.note})`);
  return parts.join(' ');
}

/** The whole card as Markdown: title, when it ends, a row per port, credentials, ssh_config. */
export function cardMarkdown(card: Omit<ShareCard, 'markdown'>, now = Date.now()): string {
  const out: string[] = [`# ${card.title.replace(/[\r\n]+/g, ' ')}`, '', `Lab **${card.lab}**${card.host !== 'local' ? ` on ${card.host}` : ''}: ${untilText(card, now)}.`];
  if (card.link) out.push('', `Share page: ${card.link} (each attendee opens their personal link)`);
  out.push('', '| Node | Service | Address | How to connect | Access |', '|---|---|---|---|---|');
  for (const p of card.ports) {
    out.push(`| ${cell(p.node)} (${cell(p.kind)}) | ${p.service} ${p.port} | ${p.address ? code(p.address) : '—'} | ${cell(useOf(p))} | ${EXPOSURE_TEXT[p.exposure]} |`);
  }
  const creds = card.ports.filter((p, i, all) => all.findIndex((q) => q.node === p.node) === i);
  if (card.includeCredentials && creds.some((p) => p.password)) {
    out.push('', '## Credentials', '', '| Node | User | Password |', '|---|---|---|');
    for (const p of creds) out.push(`| ${cell(p.node)} | ${code(p.user)} | ${p.password ? code(p.password) : '—'} |`);
  } else {
    const users = [...new Set(creds.map((p) => `${p.node}: ${p.user}`))];
    if (users.length) out.push('', `Users: ${users.map(code).join(', ')}. Ask the person who shared the lab for the passwords.`);
  }
  if (hasSshConfig(card)) {
    out.push('', '## ssh_config', '', `Save as \`${card.lab}.ssh_config\`, then \`ssh -F ${card.lab}.ssh_config <host>\`:`, '', '```', card.sshConfig.trimEnd(), '```');
  }
  return `${out.join('\n')}\n`;
}
