import { z } from 'zod';
import { AppError } from '../../../../shared/rpc-errors';
import type { Logger } from '../../logs/logger';
import type { Border0AuthHeader } from '../border0-config';
import { Border0ApiError, httpError, networkError, timeoutError, UNAUTHORIZED_MESSAGE } from './api-errors';
import * as t from './api-types';

export interface Border0ApiOptions {
  /** e.g. `https://api.border0.com/api/v1` (see border0Config); a function is asked at every call, so a settings change applies at once. */
  baseUrl: string | (() => string);
  /** Read on every call so a refreshed or re-imported token is used at once. */
  getToken: () => string | undefined;
  authHeader: Border0AuthHeader;
  /** How calls leave this computer (proxies: http-transport.ts); plain fetch when absent. */
  transport?: { fetch: typeof fetch; close(): Promise<void>; via?(url: URL): string | undefined };
  fetch?: typeof fetch;
  log: Logger;
  timeoutMs?: number;
  /** Waits between retries of a 404 (injected by tests). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A 404 on a socket right after it was created can be the service's replication lag: the
 * SDK asks again three times, 0.5 s then 1 s apart (border0-go `client/api_client.go`).
 */
export const NOT_FOUND_RETRIES = [500, 1000, 1000] as const;
/** Page size the SDK asks for when listing sockets. */
const SOCKET_PAGE_SIZE = 100;
/** A paginated list that never ends would be a service bug: stop there rather than loop. */
const MAX_PAGES = 1000;

/** Whose token a call carries: none, the account's, or an explicit one (device, first MFA). */
type Auth = 'none' | 'user' | { token: string; header?: Border0AuthHeader };
interface Req {
  auth: Auth;
  body?: unknown;
  signal?: AbortSignal;
  /** Retry a 404 (NOT_FOUND_RETRIES): calls on a socket that may have been created a moment ago. */
  lagging?: boolean;
}

/** Typed client of the border0 REST API, following docs/border0.md call for call. */
export class Border0Api {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: Border0ApiOptions) {
    this.fetch = o.transport?.fetch ?? o.fetch ?? globalThis.fetch;
    this.timeoutMs = o.timeoutMs ?? 15_000;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Lets go of the transport's connections (at quit). */
  async close(): Promise<void> {
    await this.o.transport?.close();
  }

  /** `proxy host:port` when calls to `base` go through one (for messages). */
  private via(base: string): string | undefined {
    try {
      return this.o.transport?.via?.(new URL(base));
    } catch {
      return undefined;
    }
  }

  /** The base URL in force; throws the settings' own error when it is not allowed. */
  private base(): string {
    const b = typeof this.o.baseUrl === 'function' ? this.o.baseUrl() : this.o.baseUrl;
    return b.replace(/\/+$/, '');
  }

  createDeviceAuthorization(signal?: AbortSignal) {
    return this.call('POST', 'device_authorizations', t.tokenAnswerSchema, { auth: 'none', signal });
  }

  /** The device JWT always travels in `x-access-token`: that is what this endpoint reads. */
  pollDeviceAuthorization(deviceToken: string, signal?: AbortSignal) {
    const auth = { token: deviceToken, header: 'x-access-token' as const };
    return this.call('GET', 'device_authorizations', t.deviceStatusSchema, { auth, signal });
  }

  async login(email: string, password: string) {
    const req = { auth: 'none' as const, body: { email, password } };
    return this.rewordUnauthorized(this.call('POST', 'login', t.loginAnswerSchema, req), 'border0: the email or password was not accepted');
  }

  async mfaChallenge(firstToken: string, code: string) {
    const req = { auth: { token: firstToken }, body: { code } };
    return this.rewordUnauthorized(this.call('POST', 'users/mfa_challenge', t.tokenAnswerSchema, req), 'border0: the MFA code was not accepted: try again');
  }

  refresh() {
    return this.call('POST', 'login/refresh', t.tokenAnswerSchema, { auth: 'user', body: {} });
  }

  /** Every socket of the organisation, page by page (`GET sockets`, as border0-go `SocketsPaginator`). */
  async listSockets(): Promise<t.Border0Socket[]> {
    const all: t.Border0Socket[] = [];
    for (let page = 1, n = 0; page > 0; n++) {
      if (n >= MAX_PAGES) throw new Border0ApiError('invalid_response', 200, `border0 kept answering GET sockets with more pages after ${MAX_PAGES}`);
      const res = await this.call('GET', `sockets?page=${page}&page_size=${SOCKET_PAGE_SIZE}`, t.socketPageSchema, { auth: 'user' });
      all.push(...res.list);
      page = res.pagination.next_page > page ? res.pagination.next_page : 0;
    }
    return all;
  }

  createSocket(body: t.SocketCreate) {
    return this.call('POST', 'socket', t.socketSchema, { auth: 'user', body });
  }

  getSocket(idOrName: string) {
    return this.call('GET', `socket/${seg(idOrName)}`, t.socketSchema, { auth: 'user', lagging: true });
  }

  /** Like getSocket, but a socket that is not there is `undefined` (asked once: no replication-lag retries). */
  async findSocket(idOrName: string): Promise<t.Border0Socket | undefined> {
    try {
      return await this.call('GET', `socket/${seg(idOrName)}`, t.socketSchema, { auth: 'user' });
    } catch (err) {
      if (err instanceof Border0ApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  updateSocket(id: string, body: t.SocketUpdate) {
    return this.call('PUT', `socket/${seg(id)}`, t.socketSchema, { auth: 'user', body, lagging: true });
  }

  /** A socket that is not there (after the replication-lag retries) counts as deleted. */
  async deleteSocket(id: string): Promise<void> {
    try {
      await this.call('DELETE', `socket/${seg(id)}`, null, { auth: 'user', lagging: true });
    } catch (err) {
      if (!(err instanceof Border0ApiError && err.status === 404)) throw err;
    }
  }

  createTunnel(socketId: string) {
    return this.call('POST', `socket/${seg(socketId)}/tunnel`, t.tunnelSchema, { auth: 'user', body: {}, lagging: true });
  }

  listTunnels(socketId: string) {
    return this.call('GET', `socket/${seg(socketId)}/tunnel`, z.array(t.tunnelSchema).nullable(), { auth: 'user' }).then((l) => l ?? []);
  }

  getTunnel(socketId: string, tunnelId: string) {
    return this.call('GET', `socket/${seg(socketId)}/tunnel/${seg(tunnelId)}`, t.tunnelSchema, { auth: 'user' });
  }

  deleteTunnel(socketId: string, tunnelId: string): Promise<void> {
    return this.call('DELETE', `socket/${seg(socketId)}/tunnel/${seg(tunnelId)}`, null, { auth: 'user' });
  }

  /** Has the service sign an `authorized_keys` line into a short-lived user certificate. */
  signKey(socketId: string, sshPublicKey: string) {
    const body = { ssh_public_key: sshPublicKey.trim() };
    return this.call('POST', `socket/${seg(socketId)}/signkey`, t.signKeyAnswerSchema, { auth: 'user', body, lagging: true });
  }

  listPolicies() {
    return this.call('GET', 'policies', z.array(t.policySchema).nullable(), { auth: 'user' }).then((p) => p ?? []);
  }

  /** One policy by its name (`GET policies/find?name=`); `undefined` when the organisation has none by that name. */
  async findPolicy(name: string): Promise<t.Border0Policy | undefined> {
    try {
      return await this.call('GET', `policies/find?name=${encodeURIComponent(name)}`, t.policySchema, { auth: 'user' });
    } catch (err) {
      if (err instanceof Border0ApiError && err.status === 404) return undefined;
      throw err;
    }
  }

  /** Attaches policies to a socket that exists (border0-go `AttachPoliciesToSocket`). */
  attachPolicies(socketId: string, policyIds: string[]): Promise<void> {
    const body = { actions: policyIds.map((id) => ({ action: 'add', id })) };
    return this.call('PUT', `socket/${seg(socketId)}/policy`, null, { auth: 'user', body, lagging: true });
  }

  private async call<S extends z.ZodType>(method: string, path: string, schema: S, req: Req): Promise<z.output<S>>;
  private async call(method: string, path: string, schema: null, req: Req): Promise<void>;
  private async call(method: string, path: string, schema: z.ZodType | null, req: Req): Promise<unknown> {
    const { status, text } = await this.sendRetrying404(method, path, req);
    if (!schema) return undefined;
    if (!text) throw new Border0ApiError('invalid_response', status, `border0 answered ${method} ${path} with no body`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Border0ApiError('invalid_response', status, `border0 answered ${method} ${path} with something that is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    const where = parsed.error.issues[0]?.path.join('.') || 'the answer';
    throw new Border0ApiError('invalid_response', status, `border0 answered ${method} ${path} in an unexpected shape (at ${where})`);
  }

  private async sendRetrying404(method: string, path: string, req: Req): Promise<{ status: number; text: string }> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.send(method, path, req);
      } catch (err) {
        const wait = NOT_FOUND_RETRIES[attempt];
        if (!req.lagging || wait === undefined || !(err instanceof Border0ApiError) || err.status !== 404 || req.signal?.aborted) throw err;
        this.o.log.debug(`${method} ${path} answered 404: asking again in ${wait} ms (replication lag)`, { method, path, status: 404 });
        await this.sleep(wait);
      }
    }
  }

  /** One HTTP exchange; returns a 2xx answer's status and body text, throws Border0ApiError else. */
  private async send(method: string, path: string, req: Req): Promise<{ status: number; text: string }> {
    const base = this.base();
    const host = new URL(base).host;
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = req.auth === 'user' ? this.o.getToken() : req.auth === 'none' ? undefined : req.auth.token;
    // No token at all: the answer would be a 401, so say so without a round trip.
    if (req.auth !== 'none' && !token) throw new Border0ApiError('unauthorized', 401, UNAUTHORIZED_MESSAGE);
    if (token) {
      const header = (typeof req.auth === 'object' && req.auth.header) || this.o.authHeader;
      if (header === 'bearer') headers.authorization = `Bearer ${token}`;
      else headers['x-access-token'] = token;
    }
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    const started = Date.now();
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(`${base}/${path}`, { method, headers, signal, body: req.body === undefined ? undefined : JSON.stringify(req.body) });
      text = await res.text();
    } catch (err) {
      if (req.signal?.aborted) throw req.signal.reason ?? err;
      if (err instanceof AppError) throw err; // the transport refused the proxy setting: its own words
      const via = this.via(base);
      const failure = timeout.aborted ? timeoutError(host, this.timeoutMs, via) : networkError(host, err, via);
      // Only method, path and our own message: never headers or bodies, which hold tokens.
      this.o.log.debug(`${method} ${path} failed: ${failure.message}`, { method, path, status: 0 });
      throw failure;
    }
    this.o.log.debug(`${method} ${path} ${res.status}`, { method, path, status: res.status, ms: Date.now() - started });
    if (!res.ok) throw httpError(res.status, res.statusText, text, res.headers.get('retry-after'), `${method} ${path}`);
    return { status: res.status, text };
  }

  /** On login endpoints a 401 means wrong credentials, not an expired session. */
  private async rewordUnauthorized<T>(p: Promise<T>, message: string): Promise<T> {
    try {
      return await p;
    } catch (err) {
      if (err instanceof Border0ApiError && err.kind === 'unauthorized') throw new Border0ApiError('unauthorized', 401, message);
      throw err;
    }
  }
}

/** Ids and names go into the path as one segment, whatever they contain. */
const seg = (s: string) => encodeURIComponent(s);
