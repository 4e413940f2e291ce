import { Countdown } from '../../components/countdown';
import { useAction } from '../../lib/use-action';
import { startBrowserLogin } from './actions';

/** Starts border0's browser login. In a browser the sign-in page opens in a tab of its own. */
export function BrowserLoginButton({ disabled, label = 'Log in with browser', testId = 'border0-login' }: { disabled?: boolean; label?: string; testId?: string }) {
  const login = useAction(startBrowserLogin, { failure: 'Starting the border0 login failed' });
  return (
    <button
      type="button"
      className="btn btn-primary"
      onClick={() => void login.run()}
      disabled={login.busy || disabled}
      data-testid={testId}
      title="Sign in on border0's page (Google, GitHub, Microsoft or an email link)"
    >
      {login.busy ? 'Starting…' : label}
    </button>
  );
}

/** While border0 waits for the user to sign in: how long it still waits, the page again, Cancel. */
export function LoginWait({ url, deadline, onCancel }: { url: string; deadline: number; onCancel: () => Promise<unknown> }) {
  const desktop = !!window.clabPublisher;
  const cancel = useAction(onCancel, { failure: 'Cancelling the login failed' });
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
        <button type="button" className="btn" disabled={cancel.busy} onClick={() => void cancel.run()} data-testid="border0-login-cancel" title="Stop waiting for the sign-in">
          Cancel
        </button>
      </div>
    </div>
  );
}
