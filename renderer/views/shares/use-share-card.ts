import { useEffect, useState } from 'react';
import type { ShareCard } from '../../../shared/share-card-model';
import type { Share } from '../../../shared/share-model';
import { ApiError } from '../../api/api-error';
import { useTunnelsStore } from '../../stores/use-tunnels-store';
import { shareCard } from './actions';

/**
 * The share's card from the core (it knows the passwords the owner set): fetched again when
 * the share or any tunnel changes (an address came up, a port closed), a moment later so a
 * burst of changes is one request.
 */
export function useShareCard(share: Share): { card?: ShareCard; error?: string } {
  const tunnels = useTunnelsStore((s) => s.items);
  const [state, setState] = useState<{ card?: ShareCard; error?: string }>({});
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      shareCard(share.id).then(
        (card) => live && setState({ card }),
        (err: unknown) => live && setState((s) => ({ card: s.card, error: ApiError.describe(err).message })),
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [share, tunnels]);
  return state;
}
