import { Duplex } from 'node:stream';

/**
 * The channels handed out over one SSH connection and still open. When the connection is
 * lost, ssh2 ends them as if the far side had closed cleanly; breaking them first with the
 * reason lets whoever holds them (a tunnel's connection log, a Docker request) say what
 * really happened.
 */
export class OpenChannels {
  private readonly open = new Set<Duplex>();

  add<T extends Duplex>(ch: T): T {
    this.open.add(ch);
    // breakAll() errors it whoever holds it then, listening or not (a health probe may not):
    // that must never become an uncaught exception.
    ch.on('error', () => undefined);
    ch.once('close', () => this.open.delete(ch));
    return ch;
  }

  get size(): number {
    return this.open.size;
  }

  breakAll(reason: Error): void {
    // ssh2's Channel.destroy() ignores its argument (and would write to a dead link): the
    // stream's own destroy sets `errored` at once and emits 'error', as Node streams do.
    for (const ch of this.open) Duplex.prototype.destroy.call(ch, reason);
    this.open.clear();
  }
}
