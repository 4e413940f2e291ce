import type Dockerode from 'dockerode';
import type { Lab, LabHostStatus } from '../../../shared/model';
import type { Logger } from '../logs/logger';
import { Backoff } from '../util/backoff';
import { containerToNode, factsFromInspect, factsFromListItem, groupLabs, imageIsId, LAB_LABEL, type ContainerFacts, type ListeningPorts } from '../docker/container-to-node';
import { describeDockerEndpoint, explainDockerError, type DockerProblem } from '../docker/docker-client';
import type { LabSource } from './lab-source';
import { PortScans } from '../docker/port-scans';

/** Container actions that can change what a lab looks like; exec_* and health events cannot. */
const WATCHED_ACTIONS = ['create', 'start', 'restart', 'die', 'stop', 'destroy', 'rename', 'pause', 'unpause'];

interface Tracked {
  facts: ContainerFacts;
  /** From the socket tables; undefined until read (kind hints stand in meanwhile). */
  listening?: ListeningPorts;
}

export interface DockerLabSourceDeps {
  docker: Dockerode;
  log: Logger;
  hostId?: string;
  /** Who the host is, for its status: this computer unless said otherwise. */
  identity?: Pick<LabHostStatus, 'label' | 'kind' | 'address'>;
  /** Where Docker is, for messages; read from the client when absent. */
  endpoint?: string;
  /** Turns a failed Docker call into error + hint; the local socket's wording by default. */
  explain?: (err: unknown, endpoint: string, lost: boolean) => DockerProblem;
  /** Reconnect backoff; 1 s growing to 30 s unless a test wants it shorter. */
  retry?: { initialMs?: number; maxMs?: number };
}

/** Kept for callers that name the local flavour. */
export type LocalLabSourceDeps = DockerLabSourceDeps;

/** One shared empty answer, so "still no labs" is the same array and not a change. */
const NO_LABS: Lab[] = [];

/**
 * Labs on one Docker daemon: this computer's socket, or another machine's reached over SSH
 * (the client's transport decides; nothing here knows). One event stream (containers with the
 * `containerlab` label) drives every update after an initial listing; when Docker goes away
 * the labs are cleared, the status says why, and the source reconnects and resyncs by itself.
 */
export class DockerLabSource implements LabSource {
  readonly hostId: string;
  /** The client this source lists and watches with; exec into nodes uses the same one. */
  readonly docker: Dockerode;
  private readonly log: Logger;
  private readonly endpoint: string;
  private readonly identity: Pick<LabHostStatus, 'label' | 'kind' | 'address'>;
  private readonly explain: NonNullable<DockerLabSourceDeps['explain']>;
  private readonly backoff: Backoff;
  private readonly listeners = new Set<() => void>();
  private readonly tracked = new Map<string, Tracked>();
  private readonly scans: PortScans;
  /** Latest refresh per container: an older inspect finishing late must not win. */
  private readonly refreshSeq = new Map<string, number>();
  private seq = 0;
  /** Bumped on every (re)connect and loss: async work of an earlier connection is dropped. */
  private session = 0;
  private syncing = false;
  private readonly pendingDuringSync = new Set<string>();
  private stream: NodeJS.ReadableStream | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private snapshot: Lab[] | undefined;
  private current: LabHostStatus;
  private disposed = false;

  constructor(deps: DockerLabSourceDeps) {
    this.docker = deps.docker;
    this.log = deps.log;
    this.hostId = deps.hostId ?? 'local';
    this.identity = deps.identity ?? { label: 'This computer', kind: 'local' };
    this.explain = deps.explain ?? explainDockerError;
    this.endpoint = deps.endpoint ?? describeDockerEndpoint(deps.docker);
    this.backoff = new Backoff(deps.retry?.initialMs ?? 1000, deps.retry?.maxMs ?? 30_000);
    this.scans = new PortScans(deps.docker, deps.log, (id, ports) => this.onPorts(id, ports));
    this.current = this.withIdentity({ state: 'connecting' });
  }

  labs(): Lab[] {
    if (this.current.state !== 'connected') return NO_LABS;
    this.snapshot ??= groupLabs(
      this.hostId,
      [...this.tracked.values()].map((t) => ({ facts: t.facts, node: containerToNode(t.facts, t.listening) })),
    );
    return this.snapshot;
  }

  status(): LabHostStatus {
    return { ...this.current };
  }

  onChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves after the first attempt, connected or not; never throws (the status tells). */
  async start(): Promise<void> {
    await this.connect();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.session++;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.closeStream();
    this.forgetAll();
    this.listeners.clear();
    // Cancelled scans end their execs; none may still log or call back after dispose.
    await this.scans.idle();
  }

  private async connect(): Promise<void> {
    if (this.disposed) return;
    const session = ++this.session;
    try {
      const stream = await this.docker.getEvents({
        filters: { type: ['container'], label: [LAB_LABEL], event: WATCHED_ACTIONS },
      });
      if (session !== this.session) return destroyStream(stream);
      // Listed after subscribing, with events held back meanwhile: nothing falls in between.
      this.syncing = true;
      this.watch(stream, session);
      // One call gives what the node table needs. An inspect per container would be a round
      // trip each (over SSH for a lab host): only the rare one whose image name the list
      // cannot give is inspected, afterwards, like a container an event names.
      const list = await this.docker.listContainers({ all: true, filters: { label: [LAB_LABEL] } });
      if (session !== this.session) return;
      this.forgetAll();
      for (const c of list) {
        this.apply(factsFromListItem(c));
        if (imageIsId(c.Image)) this.pendingDuringSync.add(c.Id);
      }
      this.syncing = false;
      for (const id of this.pendingDuringSync) void this.refresh(id);
      this.pendingDuringSync.clear();
      this.backoff.reset();
      this.setStatus({ state: 'connected' });
      const labs = new Set([...this.tracked.values()].map((t) => t.facts.labels[LAB_LABEL]));
      this.log.info(`connected to Docker at ${this.endpoint}`, { labs: labs.size, containers: this.tracked.size });
    } catch (err) {
      if (session === this.session && !this.disposed) this.lost(err, false);
    }
  }

  private watch(stream: NodeJS.ReadableStream, session: number): void {
    this.stream = stream;
    stream.setEncoding('utf8');
    let buf = '';
    stream.on('data', (chunk: string) => {
      buf += chunk;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (line && session === this.session) this.onEvent(line);
      }
    });
    const ended = (err?: Error) => {
      if (session === this.session && !this.disposed) this.lost(err ?? new Error('Docker closed the event stream'), true);
    };
    // `on`, not `once`: a second error with no listener left would crash the process.
    stream.on('error', ended);
    stream.once('end', () => ended());
    stream.once('close', () => ended());
  }

  private onEvent(line: string): void {
    let ev: { Action?: string; status?: string; id?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
    try {
      ev = JSON.parse(line);
    } catch {
      this.log.debug('ignored an unreadable Docker event', { line: line.slice(0, 200) });
      return;
    }
    const id = ev.Actor?.ID ?? ev.id;
    const action = (ev.Action ?? ev.status ?? '').split(':')[0];
    if (!id || !WATCHED_ACTIONS.includes(action)) return;
    this.log.debug(`container ${action}`, { container: ev.Actor?.Attributes?.name ?? id.slice(0, 12) });
    if (this.syncing) this.pendingDuringSync.add(id);
    else if (action === 'destroy') this.forget(id);
    else {
      // A `die` is a fact at the moment it happens: show it now. Waiting for the inspect
      // would miss it on a fast restart (the container is running again by then), and the
      // tunnels must see that the node went away in between.
      if (action === 'die') this.markStopped(id);
      void this.refresh(id);
    }
  }

  private async refresh(id: string): Promise<void> {
    const mine = ++this.seq;
    this.refreshSeq.set(id, mine);
    const session = this.session;
    try {
      const info = await this.inspect(id);
      if (session !== this.session || this.refreshSeq.get(id) !== mine) return;
      if (info) this.apply(factsFromInspect(info));
      else this.forget(id);
    } catch (err) {
      // A broken connection also ends the event stream, which handles it; this is detail.
      this.log.debug('could not inspect a container', { container: id.slice(0, 12), error: String(err) });
    }
  }

  private async inspect(id: string): Promise<Dockerode.ContainerInspectInfo | undefined> {
    try {
      return await this.docker.getContainer(id).inspect();
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
  }

  private apply(facts: ContainerFacts): void {
    const prev = this.tracked.get(facts.id);
    const t: Tracked = prev ?? { facts };
    const wasUp = prev ? isUp(prev.facts) : false;
    // A start time known before and now different: it restarted between two looks. (Listed
    // facts carry none; a restart in between also brings die/start events.)
    const restarted = prev?.facts.startedAt !== undefined && prev.facts.startedAt !== facts.startedAt;
    const newRun = facts.state === 'running' && (!wasUp || restarted);
    t.facts = facts;
    this.tracked.set(facts.id, t);
    // Ports of an earlier run say nothing about this one; a stopped node has none.
    if (newRun || (wasUp && !isUp(facts))) t.listening = undefined;
    if (newRun) this.scans.begin(facts.id, facts.name, facts.startedAt ?? (facts.upForMs !== undefined ? Date.now() - facts.upForMs : undefined));
    else if (!isUp(facts)) this.scans.cancel(facts.id);
    // The initial listing announces itself once, with the status.
    if (!this.syncing) this.changed();
  }

  private markStopped(id: string): void {
    const t = this.tracked.get(id);
    if (!t || !isUp(t.facts)) return;
    this.apply({ ...t.facts, state: 'exited', networks: {} });
  }

  private onPorts(id: string, ports: ListeningPorts): void {
    const t = this.tracked.get(id);
    if (!t || (ports.tcp.join() === t.listening?.tcp.join() && ports.udp.join() === t.listening?.udp.join())) return;
    t.listening = ports;
    this.log.debug('listening ports', { container: t.facts.name, ports: ports.tcp.join(','), udp: ports.udp.join(',') });
    this.changed();
  }

  private forget(id: string): void {
    const t = this.tracked.get(id);
    this.refreshSeq.delete(id);
    this.scans.cancel(id);
    if (!t) return;
    this.tracked.delete(id);
    this.changed();
  }

  private forgetAll(): void {
    this.scans.cancelAll();
    this.tracked.clear();
    this.refreshSeq.clear();
    this.snapshot = undefined;
  }

  private lost(err: unknown, wasStream: boolean): void {
    const before = this.current.state;
    this.session++;
    this.syncing = false;
    this.pendingDuringSync.clear();
    this.closeStream();
    // Nothing stale: while Docker cannot be asked, no lab is shown.
    this.forgetAll();
    const { error, hint } = this.explain(err, this.endpoint, wasStream);
    const delay = this.backoff.next();
    if (before !== 'unreachable') this.log.info(error, { retryInMs: delay });
    else this.log.debug(error, { retryInMs: delay });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, delay);
    this.setStatus({ state: 'unreachable', error, hint, nextRetryAt: Date.now() + delay });
  }

  private closeStream(): void {
    if (this.stream) destroyStream(this.stream);
    this.stream = undefined;
  }

  private setStatus(s: Omit<LabHostStatus, 'id' | 'label' | 'kind'>): void {
    this.current = this.withIdentity(s);
    this.changed();
  }

  private withIdentity(s: Omit<LabHostStatus, 'id' | 'label' | 'kind'>): LabHostStatus {
    return { id: this.hostId, ...this.identity, ...s };
  }

  private changed(): void {
    this.snapshot = undefined;
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch (err) {
        this.log.error('a labs listener failed', { error: String(err) });
      }
    }
  }
}

/** Labs on this computer's Docker (the socket, or DOCKER_HOST): the default lab host. */
export class LocalLabSource extends DockerLabSource {}

/** Up = its processes exist (paused ones keep their sockets); anything else has no ports. */
function isUp(f: ContainerFacts): boolean {
  return f.state === 'running' || f.state === 'paused';
}

function destroyStream(s: NodeJS.ReadableStream): void {
  (s as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
}
