import { useEffect, useState } from 'react';
import type { ShareAudience } from '../../../shared/audience-model';
import { onAudienceChanged, shareAudience } from './actions';

/** A share's audience, fetched once and then kept current by `shares.audienceChanged`. */
export function useAudience(shareId: string): { audience?: ShareAudience; error?: string } {
  const [audience, setAudience] = useState<ShareAudience>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    let fromEvent = false;
    const off = onAudienceChanged((all) => {
      const mine = all.find((a) => a.shareId === shareId);
      if (!mine || !live) return;
      fromEvent = true;
      setAudience(mine);
    });
    shareAudience(shareId).then(
      (a) => live && !fromEvent && setAudience(a),
      (err: Error) => live && setError(err.message),
    );
    return () => {
      live = false;
      off();
    };
  }, [shareId]);
  return { audience, error };
}
