import type { AccountInfo, TokenCandidate } from '../../../../shared/account-model';
import { AppError } from '../../../../shared/rpc-errors';
import type { Border0Api } from '../api/api-client';
import { completeMfa, passwordLogin, runDeviceLogin } from '../api/device-login';
import { decodeToken, isExpired } from '../api/token';
import type { Logger } from '../../logs/logger';
import type { SecretStore } from '../../secrets/secret-store';
import { Emitter } from '../../util/emitter';
import { readTokenFile, tokenCandidates, writeTokenFile } from './token-files';
import { BORDER0_ENV, tokenFromEnv } from '../border0-config';

const SECRET = 'border0.token';
const SOURCE = 'border0.tokenSource';
/** The API and portal URLs the token was obtained through: it is only ever sent there. */
const BOUND = 'border0.tokenFor';
const WARN_BEFORE_MS = 15 * 60_000;
const REFRESH_EVERY_MS = 60 * 60_000;
const LOGIN_DEADLINE_MS = 3 * 60_000;

export interface Border0Endpoints {
  apiUrl: string;
  portalUrl: string;
}

const endpointsKey = (e: Border0Endpoints) => `${e.apiUrl} ${e.portalUrl}`;

export interface Border0AccountDeps {
  secrets: SecretStore;
  /** An API client that authenticates with `getToken()`. */
  api: (getToken: () => string | undefined) => Border0Api;
  /** The API and portal URLs in force; throws when the settings or environment name a URL that is not allowed. */
  endpoints: () => Border0Endpoints;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  /** Token files that labs' helper nodes mounted, offered for import. */
  labTokenFiles?: () => { path: string; origin: string }[];
  now?: () => number;
}

/**
 * The border0 account: the token (kept in the secret store, never sent to the UI), login
 * flows, import/export, expiry warnings and hourly refresh while tunnels run.
 */
export class Border0Account {
  private readonly emitter = new Emitter<{ changed: void }>();
  private token?: string;
  private tokenSource?: string;
  /** `endpointsKey` of the URLs the token came through. */
  private boundTo?: string;
  private login?: AccountInfo['login'] & { abort?: AbortController; firstToken?: string };
  private error?: string;
  private rejected = false;
  private timers: NodeJS.Timeout[] = [];
  private activeTunnels = 0;
  readonly api: Border0Api;
  private readonly now: () => number;

  constructor(private readonly deps: Border0AccountDeps) {
    this.now = deps.now ?? Date.now;
    this.api = deps.api(() => this.tokenForCurrentEndpoints());
  }

  start(): void {
    this.token = this.deps.secrets.get(SECRET);
    this.tokenSource = this.deps.secrets.get(SOURCE);
    this.boundTo = this.deps.secrets.get(BOUND);
    const now = this.currentEndpoints();
    if (this.token && !this.boundTo && now) {
      // Saved before tokens were bound to their URLs: bind it to the ones it has been used with.
      this.boundTo = endpointsKey(now);
      this.deps.secrets.set(BOUND, this.boundTo);
    }
    if (this.token && now && this.boundTo !== endpointsKey(now)) this.signOutForNewEndpoints(now);
    this.schedule();
  }

  /**
   * The API or portal URL is about to change (settings, or the environment at start): the
   * token stays with the service that issued it, so the account signs out first.
   */
  endpointsChanging(next: Border0Endpoints): void {
    if (!this.token && !this.login) return;
    const now = this.currentEndpoints();
    const moved = !now || endpointsKey(now) !== endpointsKey(next);
    const tokenElsewhere = this.token !== undefined && this.boundTo !== endpointsKey(next);
    // A login under way was started against the old URLs: it goes too.
    if (moved || tokenElsewhere) this.signOutForNewEndpoints(next);
  }

  info(): AccountInfo {
    const login = this.login && (this.login.method === 'browser' ? { method: 'browser' as const, url: this.login.url, startedAt: this.login.startedAt, deadline: this.login.deadline } : { method: 'password' as const, mfaRequired: true as const });
    const base: AccountInfo = { provider: 'border0', loggedIn: false, expired: false, expiresSoon: false, login, error: this.error };
    if (!this.token) return base;
    const c = decodeToken(this.token);
    const expiresAt = c.exp !== undefined ? c.exp * 1000 : undefined;
    const expired = isExpired(c, this.now());
    return {
      ...base,
      loggedIn: !expired && !this.rejected,
      user: { userId: c.user_id ?? '', email: c.user_email, orgId: c.org_id, orgSubdomain: c.org_subdomain, serviceAccount: !!c.service_account_id },
      expiresAt,
      expired,
      expiresSoon: !expired && expiresAt !== undefined && expiresAt - this.now() <= WARN_BEFORE_MS,
      tokenSource: this.tokenSource,
      // A 401 for a token past its expiry is the expiry: say that, not "logged out by border0".
      rejected: (this.rejected && !expired) || undefined,
    };
  }

  onChanged(listener: () => void): () => void {
    return this.emitter.on('changed', listener);
  }

  /** The token for new work (sockets, certificates); refuses with what to do when there is none. */
  requireToken(): string {
    const i = this.info();
    if (!this.token) throw new AppError('unauthorized', 'not logged in to border0', 'log in under Accounts (browser login), or import a token file');
    if (i.expired) throw new AppError('unauthorized', 'the border0 login expired: running tunnels keep working, new ones need a new login', 'log in again under Accounts');
    if (this.rejected) throw new AppError('unauthorized', 'border0 no longer accepts this token', 'log in again under Accounts');
    return this.token;
  }

  /** The API said 401: the account shows it; tunnels already up are left alone. */
  markRejected(): void {
    if (this.rejected) return;
    this.rejected = true;
    if (this.info().expired) this.deps.log.warn('the border0 login expired (the service answers 401): log in again; running tunnels keep working');
    else this.deps.log.warn('border0 rejected the token (401): log in again; running tunnels keep working');
    this.changed();
  }

  /** Tunnels tell the account they run, so the token is refreshed while they do. */
  setActiveTunnels(n: number): void {
    this.activeTunnels = n;
  }

  async startBrowserLogin(onUrl?: (url: string) => void): Promise<{ url: string }> {
    this.cancelLogin();
    const abort = new AbortController();
    return new Promise((resolve, reject) => {
      const flow = runDeviceLogin({
        api: this.api,
        portalUrl: this.deps.endpoints().portalUrl,
        signal: abort.signal,
        onUrl: (url) => {
          this.login = { method: 'browser', url, startedAt: this.now(), deadline: this.now() + LOGIN_DEADLINE_MS, abort };
          this.error = undefined;
          this.deps.log.info('browser login started: waiting for the user to sign in');
          this.changed();
          onUrl?.(url);
          resolve({ url });
        },
      });
      flow.then(
        (token) => {
          // Not saved (a full disk): the login failed, said like any other failure.
          try {
            this.accept(token, 'browser login');
          } catch (err) {
            this.login = undefined;
            this.error = (err as Error).message;
            this.deps.log.warn(`browser login could not be completed: ${(err as Error).message}`);
            this.changed();
          }
        },
        (err: Error) => {
          if (this.login?.method === 'browser' && this.login.abort === abort) this.login = undefined;
          if (!abort.signal.aborted) this.error = err.message;
          this.deps.log.warn(`browser login ended: ${err.message}`);
          this.changed();
          reject(err);
        },
      );
    });
  }

  cancelLogin(): void {
    if (this.login?.method === 'browser') this.login.abort?.abort();
    if (this.login) {
      this.login = undefined;
      this.changed();
    }
  }

  async passwordLogin(email: string, password: string): Promise<{ mfaRequired: boolean }> {
    const r = await this.guard(() => passwordLogin({ api: this.api, email, password }));
    if ('mfaRequired' in r) {
      this.login = { method: 'password', mfaRequired: true, firstToken: r.firstToken };
      this.changed();
      return { mfaRequired: true };
    }
    this.accept(r.token, 'email and password');
    return { mfaRequired: false };
  }

  async mfa(code: string): Promise<void> {
    const first = this.login?.method === 'password' ? this.login.firstToken : undefined;
    if (!first) throw new AppError('invalid_params', 'no login is waiting for an MFA code', 'log in with email and password first');
    const { token } = await this.guard(() => completeMfa({ api: this.api, firstToken: first, code }));
    this.accept(token, 'email, password and MFA');
  }

  candidates(): TokenCandidate[] {
    return tokenCandidates(this.deps.labTokenFiles?.() ?? []);
  }

  async importToken(from: { path?: string; env?: boolean }): Promise<AccountInfo> {
    if (from.env) {
      const found = tokenFromEnv(this.deps.env ?? process.env);
      if (!found) throw new AppError('not_found', `neither ${BORDER0_ENV.token.join(' nor ')} is set for the app`, 'set one in the environment that starts clab-publisher, or import a token file');
      this.accept(found.token, found.from);
    } else if (from.path) {
      this.accept(await readTokenFile(from.path), from.path);
    } else throw new AppError('invalid_params', 'say where to import from', 'give a path or env: true', 'path');
    return this.info();
  }

  exportToken(file: string): string {
    const written = writeTokenFile(file, this.requireToken());
    this.deps.log.info(`token exported to ${written} (mode 600)`);
    return written;
  }

  logout(): void {
    this.forget();
    this.deps.log.info('logged out of border0');
    this.changed();
  }

  dispose(): void {
    this.cancelLogin();
    this.timers.forEach(clearTimeout);
    this.emitter.clear();
    void this.api.close();
  }

  private forget(): void {
    this.cancelLogin();
    this.token = undefined;
    this.boundTo = undefined;
    this.rejected = false;
    this.deps.secrets.delete(SECRET);
    this.deps.secrets.delete(SOURCE);
    this.deps.secrets.delete(BOUND);
    this.schedule();
  }

  private signOutForNewEndpoints(next: Border0Endpoints): void {
    const had = this.token !== undefined;
    const was = this.boundTo?.split(' ')[0];
    this.forget();
    if (had) {
      this.error = `signed out of border0: the token was issued through ${was ?? 'another address'}, and the API or portal URL is now different (${next.apiUrl}); log in again`;
      this.deps.log.warn(`${this.error} (a token is never sent to another address than the one that issued it)`);
    }
    this.changed();
  }

  private currentEndpoints(): Border0Endpoints | undefined {
    try {
      return this.deps.endpoints();
    } catch {
      return undefined; // not allowed: no call goes anywhere, the API client says why
    }
  }

  /** The token, only while the URLs in force are the ones it was obtained through. */
  private tokenForCurrentEndpoints(): string | undefined {
    const now = this.currentEndpoints();
    return this.token && now && this.boundTo === endpointsKey(now) ? this.token : undefined;
  }

  private accept(token: string, source: string): void {
    const c = decodeToken(token);
    if (!c.user_id && !c.service_account_id) throw new AppError('invalid_params', 'this is not a border0 user or service-account token (no user_id)', 'use the token the border0 CLI or portal gave you');
    const endpoints = this.deps.endpoints(); // a login through URLs that are not allowed never started
    const boundTo = endpointsKey(endpoints);
    // Saved first: a save that fails (disk full) throws with the account as it was.
    this.deps.secrets.set(SECRET, token);
    this.deps.secrets.set(SOURCE, source);
    this.deps.secrets.set(BOUND, boundTo);
    this.token = token;
    this.tokenSource = source;
    this.boundTo = boundTo;
    this.rejected = false;
    this.login = undefined;
    this.error = undefined;
    this.deps.log.info(`logged in to border0 as ${c.user_email ?? c.user_id ?? c.service_account_id} (${source})`);
    this.schedule();
    this.changed();
  }

  /** Timers for the expiry warning, the expiry itself, and the hourly refresh. */
  private schedule(): void {
    this.timers.forEach(clearTimeout);
    this.timers = [];
    if (!this.token) return;
    const exp = decodeToken(this.token).exp;
    const at = (ms: number, fn: () => void) => ms > 0 && ms < 2 ** 31 && this.timers.push(setTimeout(fn, ms).unref());
    if (exp !== undefined) {
      at(exp * 1000 - WARN_BEFORE_MS - this.now(), () => (this.deps.log.warn('the border0 login expires in 15 minutes: log in again to keep publishing'), this.changed()));
      at(exp * 1000 - this.now(), () => (this.deps.log.warn('the border0 login expired: running tunnels keep working, new ones need a login'), this.changed()));
      at(REFRESH_EVERY_MS, () => void this.refresh());
    }
  }

  private async refresh(): Promise<void> {
    if (this.activeTunnels === 0 || this.info().expired) return this.schedule();
    try {
      const { token } = await this.api.refresh();
      this.deps.secrets.set(SECRET, token);
      this.token = token;
      this.deps.log.info('border0 token refreshed while tunnels run');
      this.changed();
    } catch (err) {
      this.deps.log.warn(`border0 token refresh failed: ${(err as Error).message}`);
    }
    this.schedule();
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.error = (err as Error).message;
      this.changed();
      throw err;
    }
  }

  private changed(): void {
    this.emitter.emit('changed', undefined);
  }
}
