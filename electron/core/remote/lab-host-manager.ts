import { utils } from 'ssh2';
import type { ParamsOut } from '../../../shared/contract';
import type { LabHostStatus } from '../../../shared/model';
import { AppError } from '../../../shared/rpc-errors';
import type { LabsService } from '../labs/labs-service';
import type { Logger } from '../logs/logger';
import { HostKeyStore } from '../ssh/host-key-store';
import { keyReadProblem, readKeyFile } from '../ssh/ssh-login';
import { loadSshSettings } from '../providers/ssh/ssh-settings';
import type { SettingsStore } from '../settings/settings-store';
import { formatSshUrl, hostIdFor, loadLabHosts, parseSshUrl, saveLabHosts, type LabHostConfig } from './lab-host-config';
import { RemoteLabHost, type RemoteLabHostDeps } from './remote-lab-host';
import { HostIdDialer } from './ssh-dialer';

export interface LabHostManagerDeps {
  settings: SettingsStore;
  labs: LabsService;
  log: Logger;
  /** How long hosts.add waits for the first connection attempt before answering. */
  addWaitMs?: number;
  /** Passed to every host (tests shorten retries and polls). */
  tuning?: Omit<RemoteLabHostDeps, 'config' | 'hostKeys' | 'log'>;
}

/**
 * The lab hosts in settings (`labHosts`): creates a RemoteLabHost for each and registers it
 * with the LabsService at construction, so publications saved for a remote host find its
 * dialer from the first reconcile and wait for it (waiting-for-node) instead of being skipped.
 */
export class LabHostManager {
  private readonly hosts = new Map<string, RemoteLabHost>();
  private readonly dialers = new Map<string, HostIdDialer>();
  private readonly hostKeys: HostKeyStore;

  constructor(private readonly deps: LabHostManagerDeps) {
    this.hostKeys = new HostKeyStore(deps.settings);
    for (const cfg of loadLabHosts(deps.settings)) this.register(cfg);
  }

  /** Validates, saves and connects; answers with the status after the first attempt (or a wait). */
  async add(p: ParamsOut<'hosts.add'>): Promise<LabHostStatus> {
    let address;
    try {
      address = parseSshUrl(p.url);
    } catch (err) {
      throw new AppError('invalid_params', (err as Error).message, 'write it as ssh://user@host or ssh://user@host:port', 'url');
    }
    const url = formatSshUrl(address);
    const configs = loadLabHosts(this.deps.settings);
    const same = configs.find((c) => formatSshUrl(parseSshUrl(c.url)) === url);
    if (same) throw new AppError('conflict', `${url} is already a lab host ("${same.label}", id ${same.id})`, 'remove it first to add it with other settings', 'url');
    if (p.keyFile) await checkKeyFile(p.keyFile);
    else if (!p.useAgent) throw new AppError('invalid_params', 'no way to log in: give a key file or turn on the ssh-agent', undefined, 'keyFile');
    else if (!process.env.SSH_AUTH_SOCK) throw new AppError('invalid_params', 'the ssh-agent is not reachable: SSH_AUTH_SOCK is not set for clab-publisher', 'start clab-publisher from a shell with a running ssh-agent, or give a key file', 'useAgent');
    const cfg: LabHostConfig = { id: hostIdFor(address, ['local', ...configs.map((c) => c.id)]), label: p.label?.trim() || `${address.user}@${address.host}`, url, useAgent: p.useAgent };
    if (p.keyFile) cfg.keyFile = p.keyFile;
    saveLabHosts(this.deps.settings, [...configs, cfg]);
    this.deps.log.info(`added lab host ${cfg.label} (${url}) as ${cfg.id}`);
    const host = this.register(cfg);
    return this.firstAnswer(host);
  }

  /**
   * Forgets a host: its connection (and with it every tunnel's dialer) closes, its labs leave
   * the list. Its publications stay in settings, dormant: adding the same address again gives
   * the same id and brings them back. The stored host key goes too, unless another lab host
   * (or the SSH relay) uses the address, so a host whose key changed can be re-added and
   * confirmed afresh.
   */
  async remove(id: string): Promise<void> {
    if (id === 'local') throw new AppError('refused', 'this computer is always a lab host', undefined, 'id');
    const host = this.hosts.get(id);
    if (!host) throw new AppError('not_found', `no lab host "${id}"`, `known: ${[...this.hosts.keys()].join(', ') || 'none'}`, 'id');
    this.hosts.delete(id);
    const rest = loadLabHosts(this.deps.settings).filter((c) => c.id !== id);
    saveLabHosts(this.deps.settings, rest);
    await this.deps.labs.remove(id);
    const { host: h, port } = host.address;
    const relay = loadSshSettings(this.deps.settings);
    const shared = rest.some((c) => ((a) => a.host === h && a.port === port)(parseSshUrl(c.url))) || (relay.host === h && relay.port === port);
    if (!shared) this.hostKeys.forget(h, port);
    this.deps.log.info(`removed lab host ${host.label} (${id}); its publications stay saved, dormant until it is added again`);
  }

  async trustHostKey(id: string, fingerprint: string): Promise<void> {
    const host = this.hosts.get(id);
    if (!host) throw new AppError('not_found', `no remote lab host "${id}"`, undefined, 'id');
    await host.trustHostKey(fingerprint);
  }

  get(id: string): RemoteLabHost | undefined {
    return this.hosts.get(id);
  }

  private register(cfg: LabHostConfig): RemoteLabHost {
    const host = new RemoteLabHost({ ...this.deps.tuning, config: cfg, hostKeys: this.hostKeys, log: this.deps.log.child(`host.${cfg.id}`) });
    this.hosts.set(cfg.id, host);
    // Looked up per call: the host's Docker client changes with each SSH connection.
    this.deps.labs.add({ source: host, dialer: this.dialerFor(cfg.id, cfg.label), files: host.files, docker: () => this.hosts.get(cfg.id)?.docker() });
    return host;
  }

  private dialerFor(id: string, label: string): HostIdDialer {
    let d = this.dialers.get(id);
    if (!d) {
      d = new HostIdDialer(() => this.hosts.get(id)?.dialer, () => `lab host ${label} (${id}) was removed: add it again to reach its nodes`);
      this.dialers.set(id, d);
    }
    return d;
  }

  /** The status once the first attempt settled (connected, refused, waiting for a key), or after the wait. */
  private firstAnswer(host: RemoteLabHost): Promise<LabHostStatus> {
    const settled = () => {
      const s = host.status();
      return s.state !== 'connecting' || s.hostKey?.state === 'unknown' ? s : undefined;
    };
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        off();
        resolve(host.status());
      };
      const timer = setTimeout(done, this.deps.addWaitMs ?? 15_000);
      const off = host.onChanged(() => settled() && done());
      if (settled()) done();
    });
  }
}

/** The key must be readable and usable as it is: nobody is there to type a passphrase later. */
async function checkKeyFile(file: string): Promise<void> {
  let key: Buffer;
  try {
    key = await readKeyFile(file);
  } catch (err) {
    throw new AppError('invalid_params', `cannot read key file ${file}: ${keyReadProblem(err)}`, 'the key file is read on the machine running clab-publisher', 'keyFile');
  }
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error) {
    throw new AppError('invalid_params', `cannot use key file ${file}: ${parsed.message}`, 'give an unencrypted private key (OpenSSH or PEM), or load a key with a passphrase into the ssh-agent', 'keyFile');
  }
}
