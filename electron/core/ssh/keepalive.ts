/**
 * An SSH keepalive: a global request every interval with want-reply. Any answer counts
 * (OpenSSH answers an unknown request with failure, which proves it is alive just as well);
 * `maxMissed` intervals in a row without one means the connection is dead even though TCP
 * may not notice for many minutes. Done by hand rather than with ssh2's keepaliveInterval
 * so the request can carry the name the server expects (`keepalive@border0.com` for border0,
 * `keepalive@openssh.com` for the relay and lab hosts) and the round trip can be measured.
 */
export interface KeepaliveOptions {
  intervalMs: number;
  maxMissed: number;
  /** Sends one request; `answered` is called once, true for a reply, false if the link closed. */
  send(answered: (ok: boolean) => void): boolean;
  onRtt(ms: number): void;
  onDead(missed: number): void;
}

export class Keepalive {
  private timer?: NodeJS.Timeout;
  /** Requests sent since the last answer. */
  private outstanding = 0;
  private stopped = false;

  constructor(private readonly o: KeepaliveOptions) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.o.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    // Each tick that finds a request unanswered is one missed reply.
    if (this.outstanding >= this.o.maxMissed) {
      this.stop();
      this.o.onDead(this.outstanding);
      return;
    }
    const sentAt = performance.now();
    const sent = this.o.send((ok) => {
      if (!ok || this.stopped) return;
      // Replies come in order: one for an older request also proves the server is alive now.
      this.outstanding = 0;
      this.o.onRtt(Math.round((performance.now() - sentAt) * 10) / 10);
    });
    if (sent) this.outstanding++;
  }
}
