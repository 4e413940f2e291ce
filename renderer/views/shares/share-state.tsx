import type { Share, ShareState } from '../../../shared/share-model';
import { formatWhen } from '../../../shared/share-time';
import { formatCountdown, formatDuration } from '../../lib/format';
import { useNow } from '../../lib/use-now';

const TONE: Record<ShareState, string> = { open: 'ok', expiring: 'warn', expired: 'off', revoked: 'bad' };

export function ShareStateBadge({ state, testId }: { state: ShareState; testId?: string }) {
  return (
    <span className={`badge tone-${TONE[state]}`} data-testid={testId}>
      {state}
    </span>
  );
}

/** When the share was ended, for expired / revoked ones. */
export function endedAt(s: Share): number | undefined {
  return s.revokedAt ?? s.expiredAt ?? (s.state === 'expired' ? s.expiresAt : undefined);
}

/** "expires in 52 min", "expired 2026-… (UTC+02:00)", "until stopped": ticking every second. */
export function ShareUntil({ share, testId }: { share: Share; testId?: string }) {
  const ticking = share.state === 'open' || share.state === 'expiring';
  const now = useNow(ticking && share.expiresAt !== undefined);
  let text: string;
  if (share.state === 'revoked') text = `stopped ${formatWhen(share.revokedAt!)}`;
  else if (share.state === 'expired') text = `expired ${formatWhen(endedAt(share)!)}`;
  else if (share.expiresAt === undefined) text = 'until stopped';
  // Seconds matter in the last hour; hours and minutes before.
  else text = `expires ${share.expiresAt - now < 3600_000 ? formatCountdown(share.expiresAt, now) : `in ${formatDuration(share.expiresAt - now)}`}`;
  return (
    <span className={`share-until${share.state === 'expiring' ? ' is-expiring' : ''}`} title={share.expiresAt ? `until ${formatWhen(share.expiresAt)}` : undefined} data-testid={testId}>
      {text}
    </span>
  );
}
