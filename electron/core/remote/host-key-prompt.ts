import type { HostKeyInfo } from '../../../shared/model';
import { AppError } from '../../../shared/rpc-errors';
import type { HostKeyCheck, HostKeyStore } from '../ssh/host-key-store';
import type { SshAddress } from './lab-host-config';

/**
 * Trust on first use, with an explicit confirmation, for one lab host: remembers the key the
 * host presented when it was not the trusted one, and stores it (in the relay's `knownHosts`)
 * only when the user confirms exactly that fingerprint. A changed key is never replaced here.
 */
export class HostKeyPrompt {
  private presented?: HostKeyCheck;

  constructor(
    private readonly keys: HostKeyStore,
    private readonly address: SshAddress,
    private readonly label: string,
  ) {}

  /** What the last failed connection saw; a good connection clears it. */
  record(check: HostKeyCheck | undefined): void {
    this.presented = check && check.state !== 'trusted' ? check : undefined;
  }

  /** Stores the presented key if `fingerprint` is it; returns what was trusted. */
  trust(fingerprint: string): { algorithm: string; fingerprint: string } {
    const p = this.presented;
    if (!p || p.state === 'trusted') throw new AppError('invalid_params', `no host key of ${this.label} is waiting for confirmation`, undefined, 'fingerprint');
    if (p.state === 'mismatch') {
      throw new AppError('refused', `${this.label} presented ${p.fingerprint}, but ${p.trustedFingerprint} is trusted for it: not replacing a trusted key`, "check the key with the host's administrator; if the new one is right, remove the lab host and add it again", 'fingerprint');
    }
    if (fingerprint.trim() !== p.fingerprint) {
      throw new AppError('invalid_params', `fingerprint ${fingerprint} is not the one ${this.label} presented (${p.fingerprint})`, undefined, 'fingerprint');
    }
    this.keys.trust(this.address.host, this.address.port, { algorithm: p.algorithm, fingerprint: p.fingerprint });
    this.presented = undefined;
    return { algorithm: p.algorithm, fingerprint: p.fingerprint };
  }

  info(): HostKeyInfo {
    const p = this.presented;
    if (p?.state === 'mismatch') return { state: 'mismatch', algorithm: p.algorithm, fingerprint: p.fingerprint, trustedFingerprint: p.trustedFingerprint };
    if (p?.state === 'unknown') return { state: 'unknown', algorithm: p.algorithm, fingerprint: p.fingerprint };
    const known = this.keys.get(this.address.host, this.address.port);
    return known ? { state: 'trusted', algorithm: known.algorithm, fingerprint: known.fingerprint } : { state: 'none' };
  }
}
