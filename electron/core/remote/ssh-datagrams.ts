import type { DatagramEvents, DatagramLink } from '../labs/dialer';
import { DatagramHelper } from '../ssh/datagram-helper/helper-channel';
import type { HostConnection } from './host-connection';

/** How long a failed helper start is taken as the answer before exec is tried again. */
const RETRY_START_MS = 10_000;

/**
 * UDP to the nodes of a remote lab host: the same datagram helper as the SSH relay's, in connect
 * mode, started once per SSH connection to the host through an exec channel. Each upstream path
 * (one per public peer) is a flow: the helper holds a UDP socket connected to the node's port for
 * it and frames what comes back with the flow's id. The helper ends with the connection.
 */
export class SshDatagrams {
  private helper?: Promise<DatagramHelper>;
  /** A start that failed (no python3): answered from here for a while instead of another exec. */
  private failed?: { err: Error; until: number };
  private readonly flows = new Map<number, DatagramEvents>();
  private nextId = 1;

  constructor(
    private readonly conn: HostConnection,
    /** `lab host <label>`, for messages. */
    private readonly where: string,
  ) {}

  async open(host: string, port: number, events: DatagramEvents): Promise<DatagramLink> {
    const helper = await this.started();
    // Ids are never reused while the helper lives (2^32 flows would take years of new peers).
    const id = this.nextId++ >>> 0;
    this.flows.set(id, events);
    helper.openFlow(id, { address: host, port });
    let closed = false;
    return {
      send: (data) => {
        if (!closed) helper.sendFlow(id, data);
      },
      close: () => {
        if (closed) return;
        closed = true;
        this.flows.delete(id);
        helper.closeFlow(id);
      },
    };
  }

  private started(): Promise<DatagramHelper> {
    if (this.failed && Date.now() < this.failed.until) return Promise.reject(this.failed.err);
    this.helper ??= DatagramHelper.start((cmd) => this.conn.exec(cmd), { mode: 'connect' }, {
      flowData: (id, data) => this.flows.get(id)?.message(data),
      flowError: (id, code, fatal) => {
        const events = this.flows.get(id);
        if (!events) return;
        if (fatal) this.flows.delete(id);
        events.error(Object.assign(new Error(`${this.where}: ${code}`), { code }), fatal);
      },
      closed: (why) => {
        this.helper = undefined;
        const flows = [...this.flows.values()];
        this.flows.clear();
        for (const f of flows) f.error(Object.assign(new Error(`the UDP helper on ${this.where} ended (${why})`), { code: 'ECONNRESET' }), true);
      },
    }, this.where).catch((err: Error) => {
      // Nothing started: tried again a little later (python3 may have been installed meanwhile).
      this.helper = undefined;
      this.failed = { err, until: Date.now() + RETRY_START_MS };
      throw err;
    });
    return this.helper;
  }
}
