import type Dockerode from 'dockerode';
import type { Lab, LabHostStatus, LabNode } from '../../../shared/model';
import type { LabSource } from './lab-source';
import { localHostFiles, type HostFiles } from './host-files';
import type { Dialer } from './dialer';
import { Emitter } from '../util/emitter';

/** One lab host: where its labs come from, how its nodes are dialled, how its files are read. */
export interface LabHostEntry {
  source: LabSource;
  dialer: Dialer;
  /** Topology files on that host; this computer's file system when absent. */
  files?: HostFiles;
  /**
   * The host's Docker API client (this computer's socket, or the remote host's Docker over its
   * SSH connection), for exec into a node (the terminal's engine shell); undefined while the
   * host is not connected, absent for hosts without a container engine (test stand-ins).
   */
  docker?: () => Dockerode | undefined;
}

interface Tracked extends LabHostEntry {
  unsub: () => void;
  /** What was last announced, so a status-only change (latency) is not a labs change. */
  lastLabs?: Lab[];
  lastState?: LabHostStatus['state'];
  lastStatus?: string;
}

/**
 * Labs from every lab host, and how to reach each host's nodes. Hosts come and go at run time
 * (remote hosts added in settings). Nothing here waits for a host: `labs()` and `hosts()` are
 * snapshots each source keeps, so one slow or unreachable host never holds up the others.
 */
export class LabsService {
  private readonly emitter = new Emitter<{ labs: Lab[]; hosts: LabHostStatus[] }>();
  private readonly entries: Tracked[] = [];
  private started = false;

  constructor(entries: LabHostEntry[]) {
    for (const e of entries) this.track(e);
  }

  /** Starts every source; remote ones return at once and connect in the background. */
  async start(): Promise<void> {
    this.started = true;
    await Promise.all(this.entries.map((e) => e.source.start()));
  }

  /** A host added at run time; started right away when the service already runs. */
  add(entry: LabHostEntry): void {
    if (this.entries.some((e) => e.source.hostId === entry.source.hostId)) throw new Error(`lab host ${entry.source.hostId} is already known`);
    const t = this.track(entry);
    this.announce(t);
    if (this.started) void entry.source.start();
  }

  /** Forgets a host and disposes its source: its labs leave the list at once. */
  async remove(hostId: string): Promise<void> {
    const i = this.entries.findIndex((e) => e.source.hostId === hostId);
    if (i < 0) return;
    const [t] = this.entries.splice(i, 1);
    t.unsub();
    this.emitter.emit('hosts', this.hosts());
    this.emitter.emit('labs', this.labs());
    await t.source.dispose();
  }

  labs(): Lab[] {
    return this.entries.flatMap(({ source }) => source.labs());
  }

  hosts(): LabHostStatus[] {
    return this.entries.map(({ source }) => source.status());
  }

  findNode(host: string, lab: string, node: string): LabNode | undefined {
    return this.entry(host)?.source.labs().find((l) => l.name === lab)?.nodes.find((n) => n.name === node);
  }

  dialerFor(host: string): Dialer | undefined {
    return this.entry(host)?.dialer;
  }

  /** The host's Docker client right now; undefined for an unknown or disconnected host. */
  dockerFor(host: string): Dockerode | undefined {
    return this.entry(host)?.docker?.();
  }

  /** The host's files (topology reading, watching, write-back); undefined for an unknown host. */
  filesFor(host: string): HostFiles | undefined {
    const e = this.entry(host);
    return e && (e.files ?? localHostFiles);
  }

  onLabsChanged(listener: (labs: Lab[]) => void): () => void {
    return this.emitter.on('labs', listener);
  }

  onHostsChanged(listener: (hosts: LabHostStatus[]) => void): () => void {
    return this.emitter.on('hosts', listener);
  }

  async dispose(): Promise<void> {
    const all = this.entries.splice(0).reverse();
    all.forEach((t) => t.unsub());
    await Promise.all(all.map((t) => t.source.dispose()));
    this.emitter.clear();
  }

  private entry(host: string): Tracked | undefined {
    return this.entries.find((e) => e.source.hostId === host);
  }

  private track(entry: LabHostEntry): Tracked {
    const t: Tracked = { ...entry, unsub: () => undefined };
    t.unsub = entry.source.onChanged(() => this.announce(t));
    this.entries.push(t);
    return t;
  }

  /**
   * Hosts go out when a status changed; labs when a host's labs or its state did (a host
   * coming back with no labs tells the topology service its labs were destroyed meanwhile).
   */
  private announce(t: Tracked): void {
    const status = t.source.status();
    const labs = t.source.labs();
    const statusText = JSON.stringify(status);
    const labsChanged = labs !== t.lastLabs || status.state !== t.lastState;
    t.lastLabs = labs;
    t.lastState = status.state;
    if (statusText !== t.lastStatus) {
      t.lastStatus = statusText;
      this.emitter.emit('hosts', this.hosts());
    }
    if (labsChanged) this.emitter.emit('labs', this.labs());
  }
}
