import type { BrowserWindow } from 'electron';
import type { AccountInfo } from '../shared/account-model';
import type { Core } from './core/app-core-types';
import { openLoginWindow, type LoginWindow } from './login-window';

/**
 * The desktop login window: opened when the core starts a browser login, in its own session
 * partition, closed by itself when the login completes or is cancelled. Closing it by hand
 * cancels the login.
 */
export function followLogins(core: Core, parent: () => BrowserWindow | undefined): () => void {
  let open: { url: string; win: LoginWindow } | undefined;
  return core.events.on('accounts.changed', (accounts: AccountInfo[]) => {
    const login = accounts.find((a) => a.login?.method === 'browser')?.login;
    const url = login?.method === 'browser' ? login.url : undefined;
    if (open && open.url !== url) {
      open.win.close();
      open = undefined;
    }
    if (url && !open) {
      const win = openLoginWindow(url, undefined, { parent: parent(), title: 'Sign in to border0' });
      open = { url, win };
      void win.closed.then(() => {
        if (open?.win !== win) return;
        open = undefined;
        void core.dispatch('accounts.loginCancel', { provider: 'border0' });
      });
    }
  });
}
