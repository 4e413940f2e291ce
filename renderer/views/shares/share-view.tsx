import { useEffect, useRef, useState } from 'react';
import type { Share } from '../../../shared/share-model';
import { ConfirmButton } from '../../components/confirm-button';
import { useAction } from '../../lib/use-action';
import { useUiStore } from '../../stores/use-ui-store';
import { extendShare, removeShare, revokeShare } from './actions';
import { ShareAuditView } from './share-audit-view';
import { ShareAudienceView } from './share-audience';
import { ShareCardView } from './share-card-view';
import { ExpiryField, localInputValue, untilOf, type ExpiryChoice } from './share-expiry-field';
import { ShareLogins } from './share-logins';
import { ShareRules } from './share-rules';
import { ShareStateBadge, ShareUntil } from './share-state';
import { ShareTerminalLinks } from '../terminals/terminals-section';

/** Extend (one click for an hour more, or any end), stop sharing, remove. */
function ShareActions({ share }: { share: Share }) {
  const select = useUiStore((s) => s.selectShare);
  const [choice, setChoice] = useState<ExpiryChoice>('1h');
  const [custom, setCustom] = useState(() => localInputValue(Date.now() + 3600_000));
  const [unpublish, setUnpublish] = useState(false);
  const ended = share.state === 'expired' || share.state === 'revoked';
  const extend = useAction(extendShare, { failure: 'Extending failed' });
  const revoke = useAction(revokeShare, { failure: 'Stopping the share failed' });
  const remove = useAction(removeShare, { failure: 'Removing the share failed', then: () => select(null) });
  // One click: an hour from now, or from the current end when that is later.
  const oneHourMore = () => (share.expiresAt && !ended && share.expiresAt > Date.now() ? share.expiresAt + 3600_000 : Date.now() + 3600_000);
  return (
    <div className="share-actions">
      <button type="button" className="btn btn-primary btn-small" onClick={() => void extend.run(share.id, oneHourMore())} data-testid="share-extend-1h" title="One hour more (from now when it has ended)">
        {ended ? 'Reopen for 1 h' : 'Extend 1 h'}
      </button>
      <ExpiryField choice={choice} custom={custom} onChoice={setChoice} onCustom={setCustom} testId="share-extend-choice" />
      <button type="button" className="btn btn-small" onClick={() => void extend.run(share.id, untilOf(choice, custom))} data-testid="share-extend">
        {ended ? 'Reopen' : 'Set end'}
      </button>
      <span className="spacer" />
      {share.state !== 'revoked' ? (
        <ConfirmButton onConfirm={() => revoke.run(share.id)} title={`Stop sharing "${share.title}": close its ports and cut open connections`} testId="share-revoke">
          Stop sharing
        </ConfirmButton>
      ) : null}
      <label className="field-check" title="Ports published in the UI are unpublished; those from the topology file follow the file again">
        <input type="checkbox" checked={unpublish} onChange={(e) => setUnpublish(e.target.checked)} data-testid="share-remove-unpublish" />
        <span>and unpublish</span>
      </label>
      <ConfirmButton
        onConfirm={() => remove.run(share.id, unpublish)}
        title={unpublish ? `Remove "${share.title}" and unpublish its ports` : `Remove "${share.title}": its ports become plain publications again (open if they are published), its audit is deleted`}
        testId="share-remove"
      >
        Remove
      </ConfirmButton>
    </div>
  );
}

/** One share: state and end, the card, who may connect, logins, who connected. */
export function ShareView({ share }: { share: Share }) {
  const ended = share.state === 'expired' || share.state === 'revoked';
  const ref = useRef<HTMLDivElement>(null);
  // Opened from the dialog or the Published ports table: bring it into view.
  useEffect(() => ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }), []);
  return (
    <div ref={ref} className="share-view" data-testid="share-view" data-state={share.state}>
      <div className="share-head">
        <h3>{share.title}</h3>
        <ShareStateBadge state={share.state} testId="share-state" />
        <ShareUntil share={share} testId="share-until" />
      </div>
      {ended ? (
        <div className="notice notice-info" data-testid="share-ended">
          <div className="notice-body">
            Its ports stay closed — also after a restart and when the lab is deployed again — until you reopen the share or remove it.
          </div>
        </div>
      ) : null}
      <ShareActions share={share} />
      <ShareCardView share={share} />
      <ShareRules share={share} />
      <ShareLogins share={share} />
      <ShareAudienceView share={share} />
      <ShareTerminalLinks share={share} />
      <ShareAuditView share={share} />
    </div>
  );
}
