import type { Api } from '../../shared/contract';
import type { AccountInfo } from '../../shared/account-model';
import { bindListStore, createListStore } from './list-store';

/** Accounts with the tunnel services: who is logged in and until when (never a token). */
export const useAccountsStore = createListStore<AccountInfo>();

export const bindAccountsStore = (api: Api) =>
  bindListStore(useAccountsStore, (cb) => api.on('accounts.changed', cb), () => api['accounts.list']({}));

/** The border0 account (a stable reference until the core sends a new list). */
export function useBorder0Account(): AccountInfo | undefined {
  return useAccountsStore((s) => s.items.find((a) => a.provider === 'border0'));
}

/** Whether new border0 publications can be made: logged in, not expired, not rejected. */
export function canPublishWith(a: AccountInfo | undefined): boolean {
  return !!a && a.loggedIn && !a.expired && !a.rejected;
}

/** After an action answered with the account: show it at once, before `accounts.changed` comes. */
export function upsertAccount(info: AccountInfo): void {
  const { items, replace } = useAccountsStore.getState();
  const i = items.findIndex((a) => a.provider === info.provider);
  replace(i < 0 ? [...items, info] : items.map((a, j) => (j === i ? info : a)));
}
