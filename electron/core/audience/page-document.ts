import fs from 'node:fs';
import path from 'node:path';
import { endedHtml, overviewHtml } from '../../../shared/audience-page-html';
import type { AudiencePage } from '../../../shared/audience-protocol';
import { escapeXml as esc } from '../../../shared/html-escape';
import { qrSvg } from '../../../shared/share-qr';

/** Where the overview goes in the built index.html (audience/index.html keeps this comment). */
export const PAGE_SLOT = '<!--audience-page-->';
const MAX_TEMPLATE_BYTES = 256 * 1024;

/** Without a built page (no `npm run build` yet) the app still serves the commands: plain HTML, no script. */
const FALLBACK = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>Shared lab</title></head><body><main id="page">${PAGE_SLOT}</main></body></html>`;

/**
 * The built index.html of the audience app (its script and stylesheet names change with each
 * build), read once; the fallback when it is missing, too large or has no slot.
 */
export function loadTemplate(dir: string | undefined): { html: string; built: boolean; problem?: string } {
  if (!dir) return { html: FALLBACK, built: false, problem: 'no folder for the audience page was given' };
  const file = path.join(dir, 'index.html');
  try {
    const st = fs.statSync(file);
    if (st.size > MAX_TEMPLATE_BYTES) return { html: FALLBACK, built: false, problem: `${file} is larger than ${MAX_TEMPLATE_BYTES} bytes` };
    const html = fs.readFileSync(file, 'utf8');
    if (!html.includes(PAGE_SLOT)) return { html: FALLBACK, built: false, problem: `${file} has no ${PAGE_SLOT} slot` };
    return { html, built: true };
  } catch (err) {
    return { html: FALLBACK, built: false, problem: `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): run "npm run build"` };
  }
}

/** JSON inside a <script type="application/json">: no `<` can close the element early. */
const safeJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

function fill(template: string, title: string, body: string): string {
  return template.replace(/<title>[^<]*<\/title>/, `<title>${esc(title)}</title>`).replace(PAGE_SLOT, () => body);
}

/**
 * An attendee's page, whole: the overview (commands, ssh_config, live states as of now), the
 * QR code of the attendee's own link, and the state for the script to take over from.
 */
export function attendeePage(template: string, page: AudiencePage, selfLink: string, anyone: boolean): string {
  const who = anyone ? 'The link for everyone in this session' : 'Your personal link: do not pass it on';
  const body = [
    `<div id="overview">${overviewHtml(page)}</div>`,
    `<aside class="self-link" data-testid="page-self-link"><div class="qr" data-text="${esc(selfLink)}">${qrSvg(selfLink, { size: 168, label: 'QR code of this page' })}</div><p>${who}.</p></aside>`,
    '<noscript><p class="muted">Live updates and terminals need JavaScript; the commands above work without it.</p></noscript>',
    '<section id="terminals" aria-label="Terminals"></section>',
    `<script type="application/json" id="page-data">${safeJson(page)}</script>`,
  ].join('');
  return fill(template, page.title, body);
}

export function endedPage(template: string, why: string): string {
  return fill(template, 'This share has ended', `<div id="overview">${endedHtml(why)}</div>`);
}

/** A plain message page (link not valid, too many attempts, the page's root). */
export function messagePage(template: string, heading: string, text: string): string {
  return fill(template, heading, `<div id="overview"><header><h1>${esc(heading)}</h1><p data-testid="page-message">${esc(text)}</p></header></div>`);
}
