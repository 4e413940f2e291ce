/**
 * What the headless host accepts from one client, in one place (the README's "What the host
 * refuses" lists the same numbers). Every limit can be lowered or raised per server.
 */
export interface HostLimits {
  /** API WebSocket connections at once; one more is closed with 1013 and the reason. */
  maxClients: number;
  /** Largest JSON-RPC frame the host reads; a larger one closes that client with 1009. */
  maxFrameBytes: number;
  /** Unsent bytes to one client above which its events are coalesced and its requests wait. */
  sendHighWaterBytes: number;
  /** A client over the high-water mark that reads nothing for this long is closed (1008). */
  stuckMs: number;
  /** Requests of one client being answered at once; more are refused with "rate limited". */
  maxInFlight: number;
  /** Log lines kept for a backed-up client; older ones are left to logs.query. */
  maxPendingLogLines: number;
  /** TCP connections at once (page loads and API clients); more are dropped at accept. */
  maxConnections: number;
  /** Time a client has to send a request's headers (slow-header clients hold a socket). */
  headersTimeoutMs: number;
}

export const DEFAULT_LIMITS: HostLimits = {
  maxClients: 64,
  maxFrameBytes: 1024 * 1024,
  sendHighWaterBytes: 4 * 1024 * 1024,
  stuckMs: 30_000,
  maxInFlight: 32,
  maxPendingLogLines: 1000,
  maxConnections: 512,
  headersTimeoutMs: 10_000,
};
