import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api';

type Problem = { message: string; hint?: string } | null;

function FormError({ error }: { error: Problem }) {
  if (!error) return null;
  return (
    <div className="form-error" role="alert" data-testid="border0-password-error">
      <div>{error.message}</div>
      {error.hint ? <div className="hint">{error.hint}</div> : null}
    </div>
  );
}

/** The MFA code border0 asks for after email and password. */
function MfaForm({ onDone }: { onDone: () => void }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api['accounts.loginMfa']({ provider: 'border0', code: code.trim() });
      setCode('');
      onDone();
    } catch (err) {
      setError(ApiError.describe(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={submit} noValidate>
      <label className="field">
        <span>MFA code</span>
        <input type="text" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} data-testid="border0-mfa" autoFocus placeholder="123456" />
      </label>
      <FormError error={error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy || !code.trim()} data-testid="border0-mfa-submit">
          {busy ? 'Checking…' : 'Submit code'}
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
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Problem>(null);
  const showMfa = askMfa || mfaPending;
  const expanded = open || showMfa;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // The password lives only in this field until the call: cleared at once, kept nowhere.
    const pw = password;
    setPassword('');
    setBusy(true);
    setError(null);
    try {
      const r = await api['accounts.loginPassword']({ provider: 'border0', email: email.trim(), password: pw });
      setAskMfa(r.mfaRequired);
    } catch (err) {
      setError(ApiError.describe(err));
    } finally {
      setBusy(false);
    }
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
          <FormError error={error} />
          <div className="form-actions">
            <button type="submit" className="btn" disabled={busy || !email.trim() || !password} data-testid="border0-password-login">
              {busy ? 'Logging in…' : 'Log in'}
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
