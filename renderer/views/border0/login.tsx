import { useState } from 'react';
import { api } from '../../api';
import { Countdown } from '../../components/countdown';
import { closeLoginPopup, openLoginPopup, showLoginPage } from '../../lib/login-popup';
import { useUiStore } from '../../stores/use-ui-store';

/** Starts border0's browser login. In a browser the sign-in page opens in a tab of its own. */
export function useBrowserLogin(): { start: () => Promise<void>; busy: boolean } {
  const showError = useUiStore((s) => s.showError);
  const [busy, setBusy] = useState(false);
  const start = async () => {
    // Opened now, inside the click, or popup blockers stop it; pointed at the page once the
    // core answers. The desktop app (bridge present) opens its own login window instead.
    const popup = window.clabPublisher ? null : openLoginPopup();
    setBusy(true);
    try {
      const { url } = await api['accounts.login']({ provider: 'border0' });
      showLoginPage(popup, url);
    } catch (err) {
      if (popup) closeLoginPopup();
      showError(err, 'Starting the border0 login failed');
    } finally {
      setBusy(false);
    }
  };
  return { start, busy };
}

export function BrowserLoginButton({ disabled, label = 'Log in with browser', testId = 'border0-login' }: { disabled?: boolean; label?: string; testId?: string }) {
  const { start, busy } = useBrowserLogin();
  return (
    <button
      type="button"
      className="btn btn-primary"
      onClick={start}
      disabled={busy || disabled}
      data-testid={testId}
      title="Sign in on border0's page (Google, GitHub, Microsoft or an email link)"
    >
      {busy ? 'Starting…' : label}
    </button>
  );
}

/** While border0 waits for the user to sign in: how long it still waits, the page again, Cancel. */
export function LoginWait({ url, deadline }: { url: string; deadline: number }) {
  const showError = useUiStore((s) => s.showError);
  const desktop = !!window.clabPublisher;
  const cancel = async () => {
    try {
      await api['accounts.loginCancel']({ provider: 'border0' });
    } catch (err) {
      showError(err, 'Cancelling the login failed');
    }
  };
  return (
    <div className="notice notice-info" role="status" data-testid="border0-login-wait">
      <div className="notice-body">
        <strong>Waiting for you to sign in in the browser…</strong>
        <Countdown at={deadline} prefix="Gives up " testId="border0-login-deadline" />
        <div className="help">
          {desktop ? 'The app opened a login window. ' : 'The sign-in page opened in a new tab. '}
          Closed it or nothing opened? Open it again:{' '}
          <a href={url} target="_blank" rel="noopener noreferrer" className="login-url" data-testid="border0-login-url">
            {url}
          </a>
        </div>
      </div>
      <div className="notice-actions">
        <button type="button" className="btn" onClick={cancel} data-testid="border0-login-cancel" title="Stop waiting for the sign-in">
          Cancel
        </button>
      </div>
    </div>
  );
}
