import { useMemo } from 'react';
import type { IssuedLink } from '../../../shared/audience-model';
import { qrSvg } from '../../../shared/share-qr';
import { CopyButton } from '../../components/copy-button';

/**
 * An attendee's personal link, right after it was made: the one time the app shows it (it
 * keeps only a hash). Until the page has its address, only the path is known.
 */
export function IssuedLinkPanel({ issued, pageLink, onDone }: { issued: IssuedLink; pageLink?: string; onDone: () => void }) {
  const link = issued.link ?? (pageLink ? `${pageLink}${issued.path}` : undefined);
  const qr = useMemo(() => (link ? `data:image/svg+xml;utf8,${encodeURIComponent(qrSvg(link, { label: `Link for ${issued.attendee.name}` }))}` : undefined), [link, issued.attendee.name]);
  return (
    <div className="issued-link" data-testid="issued-link" role="status">
      <div className="issued-link-text">
        <b>Personal link for {issued.attendee.name}</b>
        {link ? (
          <>
            <code className="mono" data-testid="issued-link-url">
              {link}
            </code>
            <span className="issued-link-actions">
              <CopyButton text={link} title="Copy the link" testId="issued-link-copy">
                Copy link
              </CopyButton>
              <button type="button" className="btn btn-small" onClick={onDone} data-testid="issued-link-done">
                Done
              </button>
            </span>
          </>
        ) : (
          <span className="muted">The share&apos;s page is not online yet: its link appears here as soon as it is.</span>
        )}
        <span className="help">Shown only now: the app keeps just a hash of it. Lost it? Make a new link (the old one stops working).</span>
      </div>
      {qr ? <img src={qr} width={148} height={148} alt={`QR code of the link for ${issued.attendee.name}`} data-testid="issued-link-qr" data-text={link} /> : null}
    </div>
  );
}
