import { useMemo } from 'react';
import { cardHtml } from '../../../shared/share-card-html';
import type { CardPort, ShareCard } from '../../../shared/share-card-model';
import { EXPOSURE_TEXT } from '../../../shared/share-card-text';
import type { Share } from '../../../shared/share-model';
import { qrSvg } from '../../../shared/share-qr';
import { CopyButton } from '../../components/copy-button';
import { download } from '../../lib/log-export';
import { useShareCard } from './use-share-card';

const fileBase = (card: ShareCard) => card.title.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || card.lab;

function PortRow({ p, ended }: { p: CardPort; ended: boolean }) {
  return (
    <tr data-testid={`card-port-${p.node}-${p.port}`} data-status={p.status}>
      <td>
        <b className="mono">{p.node}</b> <span className="muted">{p.kind}</span>
      </td>
      <td>
        {p.service} <span className="muted">{p.port}</span>
      </td>
      <td className="mono" data-testid="card-address">
        {p.address ?? '—'}
      </td>
      <td className="card-use">
        {p.command ? (
          <span className="card-command">
            <code data-testid="card-command">{p.command}</code>
            <CopyButton text={p.command} title="Copy the command" testId="card-copy-command">
              Copy
            </CopyButton>
          </span>
        ) : null}
        {p.url ? (
          <a href={p.url} target="_blank" rel="noopener noreferrer" data-testid="card-url">
            {p.url}
          </a>
        ) : null}
        {p.note ? <span className="muted"> {p.note}</span> : null}
      </td>
      {ended ? (
        <td className="muted" data-testid="card-exposure" data-exposure="closed">
          nobody: closed while the share has ended
        </td>
      ) : (
        <td className={p.exposure === 'open' ? 'exposure-open' : 'muted'} data-testid="card-exposure" data-exposure={p.exposure}>
          {EXPOSURE_TEXT[p.exposure]}
          {p.rules.length ? <span className="muted"> ({p.rules.join(', ')})</span> : null}
        </td>
      )}
    </tr>
  );
}

/** Who logs in where, as the card gives it; passwords only when the owner included them. */
function Credentials({ card }: { card: ShareCard }) {
  const nodes = card.ports.filter((p, i, all) => all.findIndex((q) => q.node === p.node) === i);
  return (
    <p className="share-credentials" data-testid="card-credentials">
      {nodes.map((p, i) => (
        <span key={p.node}>
          {i ? ' · ' : ''}
          <b className="mono">{p.node}</b>: <code>{p.user}</code>
          {card.includeCredentials ? <> / <code>{p.password ?? 'no password known'}</code></> : null}
        </span>
      ))}
      {card.includeCredentials ? null : <span className="muted"> (passwords are not on the card)</span>}
    </p>
  );
}

function QrCodes({ card }: { card: ShareCard }) {
  const codes = useMemo(() => card.qr.map((q) => ({ ...q, src: `data:image/svg+xml;utf8,${encodeURIComponent(qrSvg(q.text, { label: q.label }))}` })), [card.qr]);
  if (!codes.length) return null;
  return (
    <div className="share-qr">
      {codes.map((q) => (
        <figure key={q.text} data-testid="card-qr" data-text={q.text}>
          <img src={q.src} width={132} height={132} alt={`QR code: ${q.text}`} />
          <figcaption>
            {q.label}
            <br />
            <span className="mono">{q.text}</span>
          </figcaption>
        </figure>
      ))}
      <p className="help">The QR codes carry the browser links and the share&apos;s first address; each attendee&apos;s personal link has its own (Audience, below).</p>
    </div>
  );
}

/** What the audience gets: per port the address and a ready command; exports; QR codes. */
export function ShareCardView({ share }: { share: Share }) {
  const { card, error } = useShareCard(share);
  if (!card) return <p className="muted">{error ?? 'Building the card…'}</p>;
  const open = card.ports.filter((p) => p.exposure === 'open' && p.address);
  const ended = card.state === 'expired' || card.state === 'revoked';
  const base = fileBase(card);
  return (
    <section className="share-card" aria-label="Share card" data-testid="share-card">
      <div className="share-card-head">
        <h4>Card</h4>
        <span className="spacer" />
        <CopyButton text={card.markdown} title="Copy the card as Markdown" testId="card-copy-markdown">
          Copy Markdown
        </CopyButton>
        <button type="button" className="btn btn-small" onClick={() => download(new Blob([card.markdown], { type: 'text/markdown' }), `${base}.md`)} data-testid="card-download-markdown">
          Markdown
        </button>
        <button type="button" className="btn btn-small" onClick={() => download(new Blob([cardHtml(card)], { type: 'text/html' }), `${base}.html`)} data-testid="card-download-html">
          HTML
        </button>
        <button type="button" className="btn btn-small" onClick={() => download(new Blob([card.sshConfig], { type: 'text/plain' }), `${card.lab}.ssh_config`)} data-testid="card-download-ssh-config" disabled={!card.ports.some((p) => p.sshAlias && p.address)}>
          ssh_config
        </button>
      </div>
      {open.length && !ended ? (
        <div className="notice notice-warn" data-testid="share-open-warning">
          <div className="notice-body">
            <span>
              {open.map((p) => `${p.node}:${p.port}`).join(', ')} {open.length === 1 ? 'is' : 'are'} <b>open to anyone who finds the port</b> at {open.map((p) => p.address).join(', ')}: add allowed sources below, or publish on this computer only.
            </span>
          </div>
        </div>
      ) : null}
      <div className="table-wrap">
        <table className="data-table card-table">
          <thead>
            <tr>
              <th>Node</th>
              <th>Service</th>
              <th>Address</th>
              <th>How to connect</th>
              <th>Who can reach it</th>
            </tr>
          </thead>
          <tbody>
            {card.ports.map((p) => (
              <PortRow key={`${p.node}:${p.port}`} p={p} ended={ended} />
            ))}
          </tbody>
        </table>
      </div>
      <Credentials card={card} />
      <QrCodes card={card} />
    </section>
  );
}
