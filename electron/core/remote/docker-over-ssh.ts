import http from 'node:http';
import type { Duplex } from 'node:stream';
import { inspect } from 'node:util';
import Dockerode from 'dockerode';
import { DockerLabSource } from '../labs/docker-lab-source';
import type { Logger } from '../logs/logger';
import { socketLike } from './channel-socket';
import { DockerChannels } from './docker-channels';
import type { HostConnection } from './host-connection';
import { explainRemoteDockerError } from './host-errors';
import { formatSshUrl, type SshAddress } from './lab-host-config';

/**
 * An HTTP agent whose connections are SSH channels to the host's Docker. Keep-alive pools
 * them: a channel opens in one round trip over the existing connection, and reusing it saves
 * even that during the burst of inspects and execs a (re)sync makes.
 */
export class SshDockerAgent extends http.Agent {
  constructor(private readonly channels: DockerChannels) {
    super({ keepAlive: true, maxFreeSockets: 16 });
    // With a cap on channels (dial-stdio: sshd's MaxSessions), pooled connections must not
    // hold every slot while a new request waits for one: idle ones give way, and finished
    // ones are closed instead of pooled while anyone waits.
    channels.onSaturated = () => this.dropIdleConnection();
  }

  override createConnection(_options: unknown, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    this.channels.open().then(
      (ch) => callback?.(null, socketLike(ch)),
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    );
    return undefined;
  }

  /** A connection finished while others wait for a session: close it rather than pool it. */
  override keepSocketAlive(socket: Duplex): boolean {
    if (this.channels.saturated) return false;
    super.keepSocketAlive(socket);
    return true;
  }

  private dropIdleConnection(): void {
    for (const idle of Object.values(this.freeSockets)) {
      if (idle?.length) return void idle[0].destroy();
    }
  }

  /**
   * docker-modem formats every request's options with util.inspect (showHidden, unlimited
   * depth) for its debug log even when that log is off: without this, each request walks the
   * pooled channels and the whole ssh2 client behind them, costing milliseconds per request.
   */
  [inspect.custom](): string {
    return 'SshDockerAgent';
  }
}

/**
 * A Docker client for the host behind `channels`. Every transport option is spelled out:
 * docker-modem merges its reading of DOCKER_HOST / DOCKER_CERT_PATH under ours, and this
 * machine's Docker settings mean nothing for another machine's daemon.
 */
export function createSshDockerClient(channels: DockerChannels): Dockerode {
  return new Dockerode({
    protocol: 'http',
    host: 'docker',
    port: 80,
    socketPath: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    agent: new SshDockerAgent(channels),
  } as Dockerode.DockerOptions);
}

/**
 * Labs on a remote host, for one SSH connection: the very source local Docker uses (events,
 * listing, port scans), talking to the host's Docker through that connection. A new
 * connection gets a new source; the old one is disposed with its connection.
 */
export function createRemoteDockerSource(o: {
  conn: HostConnection;
  hostId: string;
  label: string;
  address: SshAddress;
  log: Logger;
  retry?: { initialMs: number; maxMs: number };
}): DockerLabSource {
  const endpoint = formatSshUrl(o.address);
  return new DockerLabSource({
    docker: createSshDockerClient(new DockerChannels(o.conn, o.log)),
    log: o.log,
    hostId: o.hostId,
    endpoint,
    identity: { label: o.label, kind: 'ssh', address: endpoint },
    explain: (e, where, lost) => explainRemoteDockerError(o.address.user, e, where, lost),
    retry: { initialMs: o.retry?.initialMs ?? 1000, maxMs: o.retry?.maxMs ?? 60_000 },
  });
}
