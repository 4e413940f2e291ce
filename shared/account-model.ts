/** Provider accounts as the UI sees them: facts about tokens, never the tokens. */
export interface AccountInfo {
  provider: 'border0';
  loggedIn: boolean;
  user?: { userId: string; email?: string; orgId?: string; orgSubdomain?: string; serviceAccount: boolean };
  /** Epoch ms; absent for tokens without expiry (service accounts). */
  expiresAt?: number;
  expired: boolean;
  /** True within 15 minutes of expiry. */
  expiresSoon: boolean;
  /** Where the token came from: login, a file, the environment. */
  tokenSource?: string;
  /** A login in progress. */
  login?: { method: 'browser'; url: string; startedAt: number; deadline: number } | { method: 'password'; mfaRequired: true };
  /** Why the last login or API call failed, in words. */
  error?: string;
  /** The service said 401 for this token: tunnels keep running, new ones need a login. */
  rejected?: boolean;
}

/** A token file another tool wrote, offered for import. */
export interface TokenCandidate {
  path: string;
  /** What wrote it: `~/.border0/token`, a lab's `.border0_token` / `.mysocketio_token`, a helper node's bind. */
  origin: string;
  exists: boolean;
}
