import type Dockerode from 'dockerode';
import type { Logger } from '../logs/logger';
import type { ListeningPorts } from './container-to-node';
import { ExecOutputTooLarge, execStdout } from './docker-client';
import { listeningSockets } from './proc-net-udp';

/** Services come up a moment after their container: look again at these ages of a run. */
const SCAN_AT_MS = [300, 1000, 3000, 10_000];
/** One exec for both transports; a table the kernel lacks (no IPv6) only costs its error line. */
const PORTS_CMD = ['cat', '/proc/net/tcp', '/proc/net/tcp6', '/proc/net/udp', '/proc/net/udp6'];
/**
 * Output one scan may read (all four tables): a line is 150 bytes, so a node with 25,000
 * sockets, TCP and UDP together, still fits.
 * A node is someone else's machine; one whose `cat` prints forever is cut off here.
 */
const MAX_SCAN_BYTES = 4 * 1024 * 1024;
const SCAN_TIMEOUT_MS = 5000;
/**
 * Execs at once per Docker daemon. A (re)sync finds every node at the same moment: hundreds of
 * simultaneous execs (a big lab, or a remote host over one SSH connection) make dockerd answer
 * each so late that the exec timeout hits and the node keeps kind hints only. Queued, each
 * finishes quickly and the whole lab is read sooner.
 */
const MAX_CONCURRENT = 8;

interface Run {
  name: string;
  timers: NodeJS.Timeout[];
  scanning: boolean;
  again: boolean;
  /** Ends the run's exec in flight when the run is cancelled. */
  abort: AbortController;
}

/**
 * Reads which TCP and UDP ports running containers serve, from their kernel socket tables via
 * `docker exec`, a few times over each run's first seconds. Timers and results belong to one
 * run of one container: `cancel()` drops both, so a stopped node never gets late ports.
 */
export class PortScans {
  private readonly runs = new Map<string, Run>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Scans started and not finished (queued or in flight), and who waits for none. */
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly docker: Dockerode,
    private readonly log: Logger,
    private readonly onPorts: (containerId: string, ports: ListeningPorts) => void,
  ) {}

  /** A run started at `startedAt` (epoch ms, when known): scan on the schedule from there. */
  begin(id: string, name: string, startedAt?: number): void {
    this.cancel(id);
    const run: Run = { name, timers: [], scanning: false, again: false, abort: new AbortController() };
    this.runs.set(id, run);
    const age = Math.max(0, Date.now() - (startedAt ?? 0));
    // Running for a while already (found at start-up): one look now is enough.
    if (age >= SCAN_AT_MS[0]) void this.scan(id, run);
    for (const at of SCAN_AT_MS) {
      if (at > age) run.timers.push(setTimeout(() => void this.scan(id, run), at - age));
    }
  }

  cancel(id: string): void {
    const run = this.runs.get(id);
    if (run) {
      run.timers.forEach(clearTimeout);
      run.abort.abort();
    }
    this.runs.delete(id);
  }

  cancelAll(): void {
    for (const id of [...this.runs.keys()]) this.cancel(id);
  }

  /** Resolves once no scan is queued or in flight (after cancelAll: once every exec ended). */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** A finished scan hands its slot straight to the next one waiting, so the limit holds exactly. */
  private async slot(): Promise<void> {
    if (this.active < MAX_CONCURRENT) return void this.active++;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private async scan(id: string, run: Run): Promise<void> {
    if (this.runs.get(id) !== run) return;
    if (run.scanning) return void (run.again = true);
    run.scanning = true;
    this.inFlight++;
    await this.slot();
    try {
      // Cancelled while queued (the node stopped): no exec for it.
      if (this.runs.get(id) !== run) return;
      const out = await execStdout(this.docker, id, PORTS_CMD, { timeoutMs: SCAN_TIMEOUT_MS, maxBytes: MAX_SCAN_BYTES, signal: run.abort.signal });
      if (this.runs.get(id) !== run) return;
      // Without `cat` Docker still answers, with its error text as output: judge the output.
      if (!out.includes('local_address')) {
        this.log.debug('cannot read listening ports; showing kind hints only', { container: run.name, output: out.trim().slice(0, 200) });
        return;
      }
      this.onPorts(id, listeningSockets(out));
    } catch (err) {
      // Cancelled (the node stopped, the core shuts down): nothing to say, nobody to say it to.
      if (this.runs.get(id) !== run) return;
      if (err instanceof ExecOutputTooLarge) {
        this.log.warn(`port scan of ${run.name} stopped: its socket tables (${PORTS_CMD.slice(1).join(', ')}) printed more than ${MAX_SCAN_BYTES / 1024 / 1024} MiB; showing kind hints only`, { container: run.name });
        // Docker cannot stop an exec'd process: a `cat` that prints forever keeps printing in
        // the node after we hang up. No more scans of this run, so there is one such at most.
        run.timers.forEach(clearTimeout);
        run.again = false;
        return;
      }
      this.log.debug('port scan failed; showing kind hints only', { container: run.name, error: String(err) });
    } finally {
      this.release();
      run.scanning = false;
      if (run.again) {
        run.again = false;
        void this.scan(id, run);
      }
      if (--this.inFlight === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve());
    }
  }
}
