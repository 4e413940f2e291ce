import type { Border0Account } from '../border0/account/border0-account';
import type { Handlers } from './dispatch';

type AccountHandlers = Pick<
  Handlers,
  | 'accounts.list'
  | 'accounts.login'
  | 'accounts.loginCancel'
  | 'accounts.loginPassword'
  | 'accounts.loginMfa'
  | 'accounts.tokenCandidates'
  | 'accounts.importToken'
  | 'accounts.exportToken'
  | 'accounts.logout'
>;

/** Only one provider has accounts today; the `provider` parameter keeps room for more. */
export function createAccountHandlers(s: { border0: Border0Account }): AccountHandlers {
  return {
    'accounts.list': () => [s.border0.info()],
    'accounts.login': () => s.border0.startBrowserLogin(),
    'accounts.loginCancel': () => (s.border0.cancelLogin(), {}),
    'accounts.loginPassword': (p) => s.border0.passwordLogin(p.email, p.password),
    'accounts.loginMfa': async (p) => (await s.border0.mfa(p.code), {}),
    'accounts.tokenCandidates': () => s.border0.candidates(),
    'accounts.importToken': (p) => s.border0.importToken({ path: p.path, env: p.env }),
    'accounts.exportToken': (p) => ({ path: s.border0.exportToken(p.path) }),
    'accounts.logout': () => (s.border0.logout(), {}),
  };
}
