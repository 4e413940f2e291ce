import type { CardPort, ShareCard } from './share-card-model';
import { hasSshConfig, untilText } from './share-card-ssh-config';
import { EXPOSURE_TEXT } from './share-card-text';
import { escapeXml as esc, qrSvg } from './share-qr';

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}.muted{color:#57606a}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d0d7de;padding:.4rem .5rem;text-align:left;vertical-align:top}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}pre{background:#f6f8fa;padding:.75rem;overflow:auto;border-radius:6px}
.open{color:#9a6700;font-weight:600}.qrs{display:flex;flex-wrap:wrap;gap:1.5rem}.qrs figure{margin:0;text-align:center}.qrs figcaption{font-size:.85em;color:#57606a;max-width:12rem;word-break:break-all}`;

function useCell(p: CardPort): string {
  const parts: string[] = [];
  if (p.command) parts.push(`<code>${esc(p.command)}</code>`);
  if (p.url) parts.push(`<a href="${esc(p.url)}">${esc(p.url)}</a>`);
  if (p.note) parts.push(`<span class="muted">${esc(p.note)}</span>`);
  return parts.join('<br>') || '—';
}

/**
 * The card as one self-contained HTML file: inline styles and SVG QR codes, no scripts, no
 * external references (its own CSP says so), to mail or put on a projector.
 */
export function cardHtml(card: ShareCard, now = Date.now()): string {
  const rows = card.ports
    .map(
      (p) =>
        `<tr><td>${esc(p.node)} <span class="muted">${esc(p.kind)}</span></td><td>${esc(p.service)} ${p.port}</td><td>${p.address ? `<code>${esc(p.address)}</code>` : '—'}</td><td>${useCell(p)}</td><td${p.exposure === 'open' ? ' class="open"' : ''}>${esc(EXPOSURE_TEXT[p.exposure])}</td></tr>`,
    )
    .join('\n');
  const nodes = card.ports.filter((p, i, all) => all.findIndex((q) => q.node === p.node) === i);
  const creds = card.includeCredentials && nodes.some((p) => p.password)
    ? `<h2>Credentials</h2><table><tr><th>Node</th><th>User</th><th>Password</th></tr>${nodes.map((p) => `<tr><td>${esc(p.node)}</td><td><code>${esc(p.user)}</code></td><td>${p.password ? `<code>${esc(p.password)}</code>` : '—'}</td></tr>`).join('')}</table>`
    : '';
  const qrs = card.qr.length
    ? `<h2>QR codes</h2><div class="qrs">${card.qr.map((q) => `<figure>${qrSvg(q.text, { size: 176, label: q.label })}<figcaption>${esc(q.label)}<br>${esc(q.text)}</figcaption></figure>`).join('')}</div>`
    : '';
  const ssh = hasSshConfig(card)
    ? `<h2>ssh_config</h2><p class="muted">Save as <code>${esc(card.lab)}.ssh_config</code>, then <code>ssh -F ${esc(card.lab)}.ssh_config &lt;host&gt;</code>.</p><pre>${esc(card.sshConfig)}</pre>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(card.title)}</title><style>${STYLE}</style></head>
<body><h1>${esc(card.title)}</h1>
<p class="muted">Lab ${esc(card.lab)}${card.host !== 'local' ? ` on ${esc(card.host)}` : ''}: ${esc(untilText(card, now))}.</p>
${card.link ? `<p>Share page: <a href="${esc(card.link)}">${esc(card.link)}</a></p>` : ''}
<table><tr><th>Node</th><th>Service</th><th>Address</th><th>How to connect</th><th>Access</th></tr>
${rows}
</table>
${creds}${qrs}${ssh}
</body></html>
`;
}
