import type { Duplex } from 'node:stream';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { AppError } from '../../../shared/rpc-errors';
import type { NodeKeyVerdict } from './node-host-keys';
import type { ShellChannel } from './shell-channel';

export interface SshShellOptions {
  /** A connection to the node's SSH port, from the lab host's dialer (direct TCP or direct-tcpip). */
  sock: Duplex;
  /** How the node is named in messages: `node r1 (lab demo)`. */
  where: string;
  username: string;
  password?: string;
  privateKey?: string;
  cols: number;
  rows: number;
  /** Decides on the key the node presents (recorded on first use, refused when it changed). */
  verifyHostKey(key: Buffer): NodeKeyVerdict;
  readyTimeoutMs?: number;
}

/**
 * Logs in to a node over SSH and starts a login shell on a pty (`xterm-256color`, the
 * viewer's size). The credentials are used for this login only: nothing here keeps, logs or
 * repeats them, and no error message carries them. Resolves once the shell runs; rejects
 * with an AppError that says which step failed (host key, login, shell).
 */
export function openSshShell(o: SshShellOptions): Promise<ShellChannel> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let verdict: NodeKeyVerdict | undefined;
    let settled = false;
    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      client.end();
      o.sock.destroy();
      reject(err);
    };
    client.on('error', (err: Error & { level?: string }) => fail(explain(err, o, verdict)));
    client.on('close', () => fail(new AppError('unavailable', `${o.where} closed the connection during the SSH handshake`, 'Check that sshd runs on the node and accepts connections from the lab host.')));
    // Password logins on many network OSes are keyboard-interactive: answer each prompt with it.
    client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => o.password ?? '')));
    client.once('ready', () => {
      client.shell({ term: 'xterm-256color', cols: o.cols, rows: o.rows, width: 0, height: 0 }, (err, ch) => {
        if (err) return fail(new AppError('refused', `${o.where} refused a shell: ${err.message}`, 'The login worked but the node allows no interactive shell for this user (ForceCommand, a restricted account).'));
        if (settled) return void ch.close();
        settled = true;
        client.removeAllListeners('close');
        resolve(new SshShell(client, ch, o.sock, o.where));
      });
    });
    const config: ConnectConfig = {
      sock: o.sock,
      username: o.username,
      readyTimeout: o.readyTimeoutMs ?? 10_000,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        verdict = o.verifyHostKey(key);
        return verdict.ok;
      },
    };
    if (o.password !== undefined) {
      config.password = o.password;
      config.tryKeyboard = true;
    }
    if (o.privateKey !== undefined) config.privateKey = o.privateKey;
    try {
      client.connect(config);
    } catch (err) {
      // ssh2 parses the key synchronously; its message names the format, never the key.
      fail(new AppError('invalid_params', `the private key cannot be used: ${(err as Error).message}`, 'Give an unencrypted private key in OpenSSH or PEM form.', 'privateKey'));
    }
  });
}

function explain(err: Error & { level?: string }, o: SshShellOptions, verdict: NodeKeyVerdict | undefined): AppError {
  // The field says which part to act on: the owner's view offers to forget the recorded key.
  if (verdict && !verdict.ok) return new AppError('refused', verdict.message, verdict.hint, 'hostKey');
  if (err.level === 'client-authentication') {
    const how = o.privateKey ? 'key' : o.password !== undefined ? 'password' : 'no password';
    return new AppError('unauthorized', `${o.where} refused the login as "${o.username}" (${how})`, 'Check the user and the password or key for this node.');
  }
  if (err.level === 'client-timeout') return new AppError('unavailable', `${o.where} did not complete the SSH handshake within ${Math.round((o.readyTimeoutMs ?? 10_000) / 1000)} s`, 'The node may still be booting, or something else answers on that port.');
  return new AppError('unavailable', `SSH to ${o.where} failed: ${err.message}`, 'Check that the port is the node\'s SSH port and that sshd runs there.');
}

/** A running shell over SSH; its end closes the SSH connection too (one shell per connection). */
class SshShell implements ShellChannel {
  private ended = false;
  private endListener?: (reason: string) => void;
  private exitReason?: string;

  constructor(
    private readonly client: Client,
    private readonly ch: ClientChannel,
    private readonly sock: Duplex,
    private readonly where: string,
  ) {
    ch.on('exit', (code: number | null, signal?: string) => {
      this.exitReason = signal ? `the shell on ${where} ended by signal ${signal}` : `the shell on ${where} exited${code === null || code === undefined ? '' : ` with code ${code}`}`;
    });
    ch.on('close', () => this.end(this.exitReason ?? `the shell on ${where} closed`));
    client.on('error', (err: Error) => this.end(`the SSH connection to ${where} failed: ${err.message}`));
    client.on('close', () => this.end(this.exitReason ?? `the SSH connection to ${where} closed`));
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.ch.on('data', listener);
    this.ch.stderr.on('data', listener);
  }

  onEnd(listener: (reason: string) => void): void {
    this.endListener = listener;
  }

  write(data: Buffer): void {
    if (!this.ended) this.ch.write(data);
  }

  resize(cols: number, rows: number): void {
    if (!this.ended) this.ch.setWindow(rows, cols, 0, 0);
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.ch.close();
    this.client.end();
    // A node that does not answer the goodbye must not hold the socket.
    setTimeout(() => this.sock.destroy(), 300).unref();
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = true;
    this.client.end();
    this.sock.destroy();
    this.endListener?.(reason);
  }
}
