import type { ParamsIn } from '../../../shared/contract';
import type { AccountInfo, TokenCandidate } from '../../../shared/account-model';
import { api } from '../../api';
import { closeLoginPopup, openLoginPopup, showLoginPage } from '../../lib/login-popup';
import { upsertAccount } from '../../stores/use-accounts-store';

// The border0 feature's calls to the core: its account (login, token) and its provider settings.
const provider = 'border0';

/**
 * Starts the browser login. Must be called inside the click: in a browser the sign-in page
 * opens in a tab of its own, opened now (or popup blockers stop it) and pointed at the page
 * once the core answers. The desktop app (bridge present) opens its own login window instead.
 */
export async function startBrowserLogin(): Promise<void> {
  const popup = window.clabPublisher ? null : openLoginPopup();
  try {
    const { url } = await api['accounts.login']({ provider });
    showLoginPage(popup, url);
  } catch (err) {
    if (popup) closeLoginPopup();
    throw err;
  }
}

export async function cancelLogin(): Promise<void> {
  await api['accounts.loginCancel']({ provider });
}

/** Email and password; resolves with whether border0 asks for an MFA code next. */
export async function loginWithPassword(email: string, password: string): Promise<boolean> {
  const r = await api['accounts.loginPassword']({ provider, email, password });
  return r.mfaRequired;
}

export async function submitMfaCode(code: string): Promise<void> {
  await api['accounts.loginMfa']({ provider, code });
}

export async function logout(): Promise<void> {
  await api['accounts.logout']({ provider });
}

/** Writes the token to a file other tools read; resolves with the path written. */
export async function exportToken(path: string): Promise<string> {
  return (await api['accounts.exportToken']({ provider, path })).path;
}

export function tokenCandidates(): Promise<TokenCandidate[]> {
  return api['accounts.tokenCandidates']({ provider });
}

/** Uses a token from a file or BORDER0_ADMIN_TOKEN; the account shows at once. */
export async function importToken(from: { path?: string; env?: boolean }): Promise<AccountInfo> {
  const info = await api['accounts.importToken']({ provider, ...from });
  upsertAccount(info);
  return info;
}

export async function configureBorder0(settings: Omit<Extract<ParamsIn<'providers.configure'>, { id: 'border0' }>, 'id'>): Promise<void> {
  await api['providers.configure']({ id: provider, ...settings });
}
