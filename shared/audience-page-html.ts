/**
 * The audience page's overview as HTML: the app renders it into the page it serves (so the
 * commands work without JavaScript), and the page's script renders the same markup again
 * when a newer state arrives. Every value is escaped; nothing here runs code.
 */
import type { AudiencePage, PageNode, PageNodeState, PagePort } from './audience-protocol';
import { escapeXml as esc } from './html-escape';

const NODE_STATE: Record<PageNodeState, string> = {
  online: 'online',
  waiting: 'waiting for the node',
  starting: 'starting',
  closed: 'closed',
  expired: 'expired',
};

/** "in 3 h 12 min", "in 4 min 05 s", "now". */
export function countdownText(targetMs: number, now: number): string {
  const s = Math.max(0, Math.ceil((targetMs - now) / 1000));
  if (s === 0) return 'now';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `in ${h} h ${m} min`;
  return m > 0 ? `in ${m} min ${String(s % 60).padStart(2, '0')} s` : `in ${s} s`;
}

/** What the page says about the share's end, at `now` (the app's clock). */
export function untilText(p: Pick<AudiencePage, 'state' | 'expiresAt' | 'endedAt'>, now: number): string {
  if (p.state === 'revoked') return 'this share has ended';
  if (p.state === 'expired') return 'this share has expired';
  if (p.expiresAt === undefined) return 'open until the organiser stops it';
  return `expires ${countdownText(p.expiresAt, now)}`;
}

function portRow(node: string, p: PagePort): string {
  const what = p.url
    ? `<a href="${esc(p.url)}" target="_blank" rel="noopener noreferrer" data-testid="page-url">${esc(p.url)}</a>`
    : p.command
      ? `<code class="cmd" data-testid="page-command">${esc(p.command)}</code><button type="button" class="js-only copy" data-copy="${esc(p.command)}">Copy</button>`
      : p.address
        ? `<code data-testid="page-address">${esc(p.address)}</code>`
        : '<span class="muted">no address yet</span>';
  const login = p.password ? ` <span class="muted">login ${esc(p.user)} / <code>${esc(p.password)}</code></span>` : '';
  const note = p.note ? `<div class="note">${esc(p.note)}</div>` : '';
  return `<tr data-testid="page-port-${esc(node)}-${p.port}" data-status="${esc(p.status)}"><td>${esc(p.service)}</td><td>${p.port}</td><td>${what}${login}${note}</td></tr>`;
}

function nodeBlock(n: PageNode, ended: boolean): string {
  const term =
    n.terminal && !ended
      ? `<button type="button" class="js-only open-terminal" data-node="${esc(n.name)}" data-testid="page-open-terminal-${esc(n.name)}">Open a terminal</button>`
      : '';
  const ports = n.ports.length ? `<table class="ports"><tbody>${n.ports.map((p) => portRow(n.name, p)).join('')}</tbody></table>` : '';
  return `<section class="node" data-testid="page-node-${esc(n.name)}" data-state="${n.state}"><h2>${esc(n.name)} <span class="kind">${esc(n.kind)}</span> <span class="state state-${n.state}" data-testid="page-node-state">${NODE_STATE[n.state]}</span></h2>${term}${ports}</section>`;
}

/** The part of the page that follows the share: state, end, nodes, ports, commands, ssh_config, the live demo. */
export function overviewHtml(p: AudiencePage, now = p.serverNow): string {
  const ended = p.state === 'expired' || p.state === 'revoked';
  const until = `<p class="until" data-testid="page-until" data-expires="${p.expiresAt ?? ''}">${esc(untilText(p, now))}</p>`;
  const watch =
    p.watch && !ended
      ? `<section class="watch-offer" data-testid="page-watch-offer"><b>Live demo</b> on ${esc(p.watch.node)}: the organiser's terminal, read-only. <button type="button" class="js-only watch" data-testid="page-watch">Watch</button></section>`
      : '';
  const nodes = p.nodes.map((n) => nodeBlock(n, ended)).join('');
  const sshConfig = p.sshConfig.trim()
    ? `<section class="ssh-config"><h2>ssh_config</h2><p class="muted">Add this to <code>~/.ssh/config</code>, then <code>ssh &lt;Host&gt;</code>.</p><pre data-testid="page-ssh-config">${esc(p.sshConfig)}</pre><button type="button" class="js-only copy" data-copy="${esc(p.sshConfig)}">Copy</button></section>`
    : '';
  const limits = p.nodes.some((n) => n.terminal)
    ? `<p class="muted">Terminals: up to ${p.limits.maxSessions} at once; one closes after ${p.limits.idleTimeoutMin} min without activity.</p>`
    : '';
  return `<header><h1 data-testid="page-title">${esc(p.title)}</h1><p class="for">for ${esc(p.attendee)} · <span class="share-state state-${p.state}" data-testid="page-state">${p.state}</span></p>${until}</header>${watch}${nodes}${limits}${sshConfig}`;
}

/** The plain page for a link that no longer opens anything (the share or the attendee ended). */
export function endedHtml(why: string): string {
  return `<header><h1>This share has ended</h1><p data-testid="page-ended">${esc(why)}</p><p class="muted">Ask the organiser for a new link if you still need access.</p></header>`;
}
