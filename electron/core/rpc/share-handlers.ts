import type { AudienceService } from '../audience/audience-service';
import type { ShareService } from '../shares/share-service';
import type { Handlers } from './dispatch';

type ShareMethod = Extract<keyof Handlers, `shares.${string}`>;
type ShareHandlers = Pick<Handlers, ShareMethod>;

export function createShareHandlers(s: { shares: ShareService; audience: AudienceService }): ShareHandlers {
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
    'shares.audience': (p) => s.audience.audience(p.id),
    'shares.addAttendee': (p) => s.audience.addAttendee(p),
    'shares.reissueAttendee': (p) => s.audience.reissueAttendee(p),
    'shares.revokeAttendee': (p) => s.audience.revokeAttendee(p),
    'shares.removeAttendee': (p) => s.audience.removeAttendee(p),
    'shares.setAudience': (p) => s.audience.setSettings(p),
  };
}
