import path from 'node:path';
import type { LabOwnership, LabTopologyState, TopologyDiagnostic, TopologyFileProblem, TopologyReport } from '../../../shared/topology-model';
import type { Result } from '../../../shared/contract';
import type { PublishGrammar } from '../../../shared/publish-grammar';
import { AppError } from '../../../shared/rpc-errors';
import type { LabsService } from '../labs/labs-service';
import type { Logger } from '../logs/logger';
import type { PublicationService } from '../publications/publication-service';
import { TopologyFileError } from '../topology/topology-file-error';
import { Emitter } from '../util/emitter';
import { localHostFiles, type HostFiles } from '../labs/host-files';
import { labOwnership, localUserNames, sshLoginUser } from './lab-ownership';
import { labKey, type LabSettings, type LabSettingsStore } from './lab-settings';
import { syncLabPublications } from './publish-sync';
import { savePublicationToFile } from './save-to-file';

/** Reads and analyses a topology file through `files` (this computer's when absent). */
export type LoadTopology = (file: string, grammar?: PublishGrammar, files?: HostFiles) => Promise<TopologyReport>;
export type DescribeLoadError = (err: unknown) => TopologyFileProblem;

interface Tracked {
  host: string;
  lab: string;
  /** The lab's clab-owner label, while it is deployed. */
  owner?: string;
  /** Without the label, on this computer: whether the topology file is this user's. */
  fileIsMine?: boolean;
  file?: string;
  fileSource?: 'label' | 'user';
  report?: TopologyReport;
  problem?: TopologyFileProblem;
  syncProblems: TopologyDiagnostic[];
  deployed: boolean;
  unwatch?: () => void;
}

/**
 * Topology files as the source of truth: finds each lab's file (container label or a file the
 * user opened), re-reads it when it changes, and publishes its entries when the lab is deployed
 * (auto-publish). A lab destroyed while Docker answers takes its publications with it; Docker
 * being unreachable is not a destroyed lab.
 */
export class TopologyService {
  private readonly tracked = new Map<string, Tracked>();
  private readonly emitter = new Emitter<{ changed: LabTopologyState[] }>();
  private unsub?: () => void;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      labs: LabsService;
      publications: PublicationService;
      labSettings: LabSettingsStore;
      load: LoadTopology;
      describe: DescribeLoadError;
      log: Logger;
      /** Each lab host's files (SFTP for remote hosts); this computer's for `local` by default. */
      files?: (host: string) => HostFiles | undefined;
      /**
       * The names the user running the app goes by on a lab host (lab-ownership.ts). By
       * default: this computer's user for `local`, the SSH login for a remote host.
       */
      whoAmI?: (host: string) => string[];
    },
  ) {}

  async start(): Promise<void> {
    this.unsub = this.deps.labs.onLabsChanged(() => this.inBackground('lab changes', () => this.refresh()));
    await this.serial(() => this.refresh());
  }

  list(): LabTopologyState[] {
    return [...this.tracked.values()].map((t) => this.state(t));
  }

  onChanged(listener: (list: LabTopologyState[]) => void): () => void {
    return this.emitter.on('changed', listener);
  }

  /** Uses a file the user names; it is matched to the lab by the `name` inside it. */
  async open(host: string, file: string): Promise<LabTopologyState> {
    return this.serial(async () => {
      const settings = this.deps.labSettings;
      const files = this.filesOf(host);
      if (!files) throw new AppError('not_found', `unknown lab host "${host}"`, `known hosts: ${this.deps.labs.hosts().map((h) => h.id).join(', ')}`, 'host');
      if (!isAbsolutePath(file, files)) throw new AppError('invalid_params', `${file} is not an absolute path`, `give the full path on ${host === 'local' ? 'this computer' : `lab host ${host}`}, starting with /`, 'path');
      let report: TopologyReport;
      try {
        report = await this.deps.load(file, undefined, files);
      } catch (err) {
        const p = this.deps.describe(err);
        throw new AppError('invalid_params', `${p.file ?? file}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}: ${p.message}`, p.hint, 'path');
      }
      settings.update(host, report.labName, { file });
      const t = this.track(host, report.labName);
      await this.reload(t);
      this.deps.log.info(`using topology file ${file} for lab ${report.labName}`);
      this.emit();
      return this.state(t);
    });
  }

  async configure(host: string, lab: string, patch: { autoPublish?: boolean; grammar?: PublishGrammar | null; provider?: string; optIn?: boolean }): Promise<LabTopologyState> {
    return this.serial(async () => {
      const t = this.tracked.get(labKey(host, lab));
      if (!t) throw new AppError('not_found', `no lab "${lab}" on ${host}`, 'labs appear when their containers run, or open their topology file');
      const { optIn, ...rest } = patch;
      const ownerPatch = optIn === undefined ? {} : { optInOwner: optIn ? (t.owner ?? '') : null };
      this.deps.labSettings.update(host, lab, { ...rest, ...ownerPatch });
      if (optIn !== undefined) this.deps.log.info(optIn ? `publishing the entries of lab ${lab} (${this.ownershipOf(t).reason}), as the user chose` : `no longer publishing the entries of lab ${lab}, deployed by someone else`);
      await this.reload(t);
      this.emit();
      return this.state(t);
    });
  }

  /** After a write-back: re-read now rather than waiting for the file watcher. */
  async reloadLab(host: string, lab: string): Promise<void> {
    const t = this.tracked.get(labKey(host, lab));
    if (t) await this.serial(async () => (await this.reload(t), this.emit()));
  }

  /** Writes a UI publication into its lab's topology file (save-to-file.ts). */
  saveToFile(publicationId: string): Promise<Result<'topology.saveToFile'>> {
    return savePublicationToFile(
      { publications: this.deps.publications, stateOf: (h, l) => this.stateOf(h, l), files: (h) => this.filesOf(h), reloadLab: (h, l) => this.reloadLab(h, l) },
      publicationId,
    );
  }

  stateOf(host: string, lab: string): LabTopologyState | undefined {
    const t = this.tracked.get(labKey(host, lab));
    return t && this.state(t);
  }

  dispose(): void {
    this.unsub?.();
    for (const t of this.tracked.values()) t.unwatch?.();
    this.tracked.clear();
    this.emitter.clear();
  }

  /** Work an event started: nobody awaits it, so a failure is logged here, never thrown. */
  private inBackground(what: string, fn: () => Promise<void>): void {
    this.serial(fn).catch((err: unknown) => this.deps.log.error(`handling ${what} failed: ${(err as Error)?.message ?? String(err)}`));
  }

  /** One change at a time: Docker events, file changes and user actions never interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async refresh(): Promise<void> {
    const seen = new Set<string>();
    const hosts = this.deps.labs.hosts();
    const connected = new Set(hosts.filter((h) => h.state === 'connected').map((h) => h.id));
    const known = new Set(hosts.map((h) => h.id));
    const deployed: Tracked[] = [];
    for (const lab of this.deps.labs.labs()) {
      const t = this.track(lab.host, lab.name, lab.topologyFile);
      seen.add(labKey(lab.host, lab.name));
      const ownerChanged = t.owner !== lab.owner;
      t.owner = lab.owner;
      if (!t.deployed) {
        t.deployed = true;
        deployed.push(t);
      } else if (ownerChanged) {
        // Redeployed by someone else under the same name: what may be published changed.
        deployed.push(t);
      }
    }
    // Labs found together (all of them at start-up) read their files together and publish as
    // one batch: one settings write and one reconcile, not one per lab while the last one's
    // tunnels are still opening.
    await Promise.all(deployed.map((t) => this.load(t)));
    for (const t of deployed) this.deps.log.info(`lab ${t.lab} is deployed${t.file ? ` (topology ${t.file})` : ''}; ${this.ownershipOf(t).reason}`);
    try {
      this.deps.publications.batch(() => deployed.forEach((t) => this.sync(t)));
    } catch (err) {
      // The batch's one save failed: none of them was published.
      this.notSynced(deployed, err);
    }
    for (const [key, t] of this.tracked) {
      // A host removed from settings: stop watching its files; its publications stay, dormant.
      if (!known.has(t.host)) {
        t.unwatch?.();
        this.tracked.delete(key);
        continue;
      }
      if (seen.has(key) || !t.deployed || !connected.has(t.host)) continue;
      t.deployed = false;
      this.deps.log.info(`lab ${t.lab} was destroyed: closing its tunnels`);
      const ids = this.deps.publications.list().filter((p) => p.host === t.host && p.lab === t.lab).map((p) => p.id);
      try {
        this.deps.publications.removeMany(ids, `lab ${t.lab} was destroyed`);
      } catch (err) {
        // Not saved (a full disk): they stay listed, and go with the next change that saves.
        this.deps.log.warn(`lab ${t.lab} was destroyed, but its publications could not be removed: ${(err as Error).message}`);
      }
      if (t.fileSource !== 'user') {
        t.unwatch?.();
        this.tracked.delete(key);
      }
    }
    this.emit();
  }

  private track(host: string, lab: string, labelFile?: string): Tracked {
    const key = labKey(host, lab);
    let t = this.tracked.get(key);
    if (!t) {
      t = { host, lab, deployed: false, syncProblems: [] };
      this.tracked.set(key, t);
    }
    const userFile = this.deps.labSettings.get(host, lab).file;
    const file = userFile ?? labelFile ?? t.file;
    if (file !== t.file) {
      t.unwatch?.();
      t.file = file;
      t.fileSource = userFile ? 'user' : 'label';
      t.report = undefined;
      t.problem = undefined;
      // Each host watches its own way: inotify here, a periodic stat over SFTP (see sftp-files.ts).
      const files = this.filesOf(host);
      if (file && files && isAbsolutePath(file, files)) t.unwatch = files.watch(file, () => this.inBackground(`the change of ${file}`, async () => (await this.reload(t!), this.emit())));
    }
    return t;
  }

  private async reload(t: Tracked): Promise<void> {
    await this.load(t);
    this.sync(t);
  }

  /** Reads and analyses the lab's file (a problem is kept, never thrown). */
  private async load(t: Tracked): Promise<void> {
    const settings = this.deps.labSettings.get(t.host, t.lab);
    if (t.file) {
      try {
        const files = this.filesOf(t.host);
        if (!files) throw new Error(`lab host ${t.host} is not configured any more`);
        // containerlab writes the absolute path; anything else did not come from it.
        if (!isAbsolutePath(t.file, files)) throw new TopologyFileError({ kind: 'read', file: t.file, message: 'the topology file path is not absolute', hint: 'containerlab labels each node with the absolute path of its topology file: open the file by its full path' });
        t.report = await this.deps.load(t.file, settings.grammar, files);
        t.problem = undefined;
        t.fileIsMine = t.owner === undefined && files.local ? await isOwnFile(files, t.file) : undefined;
      } catch (err) {
        t.report = undefined;
        t.problem = this.deps.describe(err);
        this.deps.log.warn(`cannot use topology file of lab ${t.lab}: ${t.problem.message}`, { file: t.file });
      }
    }
  }

  /** Publishes the file's entries of a deployed lab (auto-publish). */
  private sync(t: Tracked): void {
    const settings = this.deps.labSettings.get(t.host, t.lab);
    // An unreadable file publishes nothing new, but does not unpublish what is running.
    if (t.problem) return;
    const ownership = this.ownershipOf(t);
    const enabled = autoPublishOf(settings, t.report) && (ownership.mine || ownership.optedIn);
    try {
      t.syncProblems = t.deployed
        ? syncLabPublications({ publications: this.deps.publications, host: t.host, lab: t.lab, report: t.report, provider: providerOf(settings), enabled, why: ownership.mine || ownership.optedIn ? undefined : `not published automatically: lab ${t.lab} was ${ownership.reason}` })
        : [];
    } catch (err) {
      this.notSynced([t], err);
    }
  }

  /** The labs' entries could not be saved (a full disk): said where their entries are shown. */
  private notSynced(labs: Tracked[], err: unknown): void {
    if (!(err instanceof AppError)) throw err;
    for (const t of labs) {
      t.syncProblems = [{ file: t.file ?? t.lab, line: 1, column: 1, severity: 'error', text: '', message: `the file's entries were not published: ${err.message}`, hint: err.hint ?? 'try again' }];
      this.deps.log.warn(`the entries of lab ${t.lab}'s topology file were not published: ${err.message}`);
    }
  }

  private filesOf(host: string): HostFiles | undefined {
    return this.deps.files ? this.deps.files(host) : host === 'local' ? localHostFiles : undefined;
  }

  private state(t: Tracked): LabTopologyState {
    const settings = this.deps.labSettings.get(t.host, t.lab);
    const report = t.report && { ...t.report, diagnostics: [...t.report.diagnostics, ...t.syncProblems] };
    return {
      host: t.host,
      lab: t.lab,
      file: t.file,
      fileSource: t.fileSource,
      report,
      problem: t.problem,
      autoPublish: autoPublishOf(settings, t.report),
      autoPublishDefault: (t.report?.entries.length ?? 0) > 0,
      grammarOverride: settings.grammar,
      provider: providerOf(settings),
      deployed: t.deployed,
      ...(t.owner !== undefined ? { owner: t.owner } : {}),
      ownership: this.ownershipOf(t),
    };
  }

  private ownershipOf(t: Tracked): LabOwnership {
    return labOwnership({ owner: t.owner, me: this.whoAmI(t.host), fileIsMine: t.fileIsMine, optedInOwner: this.deps.labSettings.get(t.host, t.lab).optInOwner });
  }

  private whoAmI(host: string): string[] {
    if (this.deps.whoAmI) return this.deps.whoAmI(host);
    if (host === 'local') return localUserNames();
    const login = sshLoginUser(this.deps.labs.hosts().find((h) => h.id === host)?.address);
    return login ? [login] : [];
  }

  private emit(): void {
    this.emitter.emit('changed', this.list());
  }
}

/** Whether the file belongs to this process's user (for labs without a clab-owner label). */
async function isOwnFile(files: HostFiles, file: string): Promise<boolean | undefined> {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined;
  return files.stat(file).then(
    (st) => st.uid === uid,
    () => undefined,
  );
}

/** Remote lab hosts are Linux (containerlab runs there): POSIX paths whatever this computer is. */
const isAbsolutePath = (file: string, files: HostFiles) => (files.local ? path.isAbsolute(file) : path.posix.isAbsolute(file));

const providerOf = (s: LabSettings) => s.provider ?? 'local';
const autoPublishOf = (s: LabSettings, r?: TopologyReport) => s.autoPublish ?? (r?.entries.length ?? 0) > 0;
