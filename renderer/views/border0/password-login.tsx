import { useState, type FormEvent } from 'react';
import { FormError } from '../../components/form-error';
import { useAction } from '../../lib/use-action';
import { loginWithPassword, submitMfaCode } from './actions';

/** The MFA code border0 asks for after email and password. */
function MfaForm({ onDone }: { onDone: () => void }) {
  const [code, setCode] = useState('');
  const mfa = useAction(submitMfaCode, {
    then: () => {
      setCode('');
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void mfa.run(code.trim());
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <label className="field">
        <span>MFA code</span>
        <input type="text" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} data-testid="border0-mfa" autoFocus placeholder="123456" />
      </label>
      <FormError error={mfa.error} testId="border0-password-error" />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={mfa.busy || !code.trim()} data-testid="border0-mfa-submit">
          {mfa.busy ? 'Checking…' : 'Submit code'}
        </button>
      </div>
    </form>
  );
}

/** Email and password, for older accounts; collapsed unless a login is waiting for its MFA code. */
export function PasswordLogin({ mfaPending }: { mfaPending: boolean }) {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [askMfa, setAskMfa] = useState(false);
  const login = useAction(loginWithPassword, { then: setAskMfa });
  const showMfa = askMfa || mfaPending;
  const expanded = open || showMfa;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // The password lives only in this field until the call: cleared at once, kept nowhere.
    const pw = password;
    setPassword('');
    void login.run(email.trim(), pw);
  };

  return (
    <div className="collapsible">
      <button type="button" className="btn-flat collapsible-toggle" aria-expanded={expanded} onClick={() => setOpen(!open)} disabled={showMfa} data-testid="border0-password-toggle">
        {expanded ? '▾' : '▸'} Older accounts: email and password
      </button>
      {expanded && showMfa ? <MfaForm onDone={() => setAskMfa(false)} /> : null}
      {expanded && !showMfa ? (
        <form className="form" onSubmit={submit} noValidate>
          <label className="field">
            <span>Email</span>
            <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="border0-email" spellCheck={false} />
          </label>
          <label className="field">
            <span>Password</span>
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="border0-password" />
          </label>
          <FormError error={login.error} testId="border0-password-error" />
          <div className="form-actions">
            <button type="submit" className="btn" disabled={login.busy || !email.trim() || !password} data-testid="border0-password-login">
              {login.busy ? 'Logging in…' : 'Log in'}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
