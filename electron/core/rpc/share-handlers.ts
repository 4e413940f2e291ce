import type { ShareService } from '../shares/share-service';
import type { Handlers } from './dispatch';

type ShareHandlers = Pick<
  Handlers,
  'shares.list' | 'shares.create' | 'shares.update' | 'shares.extend' | 'shares.revoke' | 'shares.remove' | 'shares.setCredentials' | 'shares.card' | 'shares.audit'
>;

export function createShareHandlers(s: { shares: ShareService }): ShareHandlers {
  return {
    'shares.list': () => s.shares.list(),
    'shares.create': (p) => s.shares.create(p),
    'shares.update': (p) => s.shares.update(p),
    'shares.extend': (p) => s.shares.extend(p.id, p.until),
    'shares.revoke': (p) => s.shares.revoke(p.id),
    'shares.remove': async (p) => (await s.shares.remove(p.id, p.unpublish), {}),
    'shares.setCredentials': (p) => s.shares.setCredentials(p),
    'shares.card': (p) => s.shares.card(p.id),
    'shares.audit': (p) => s.shares.audit(p.id, p.limit),
  };
}
