import type { PublicationType } from '../../../../shared/model';
import { AppError } from '../../../../shared/rpc-errors';
import type { Border0Settings } from '../border0-settings';

const isHttp = (t: PublicationType) => t === 'http' || t === 'https';

/** Checked before any API call: a plain message beats a refusal from the service mid-way. */
export function checkLimits(type: PublicationType, open: PublicationType[], s: Border0Settings): void {
  const http = isHttp(type);
  const used = open.filter((t) => isHttp(t) === http).length;
  const limit = http ? s.limitHttp : s.limitTcp;
  if (used < limit) return;
  const what = http ? 'http/https' : 'tcp/tls/ssh';
  throw new AppError(
    'refused',
    `border0 account limit reached: ${used} of ${limit} ${what} tunnels are open`,
    `unpublish one first; if your border0 plan allows more, raise the ${what} limit in Providers → border0`,
  );
}
