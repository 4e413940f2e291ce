import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export interface SelfSignedCert {
  key: string;
  cert: string;
  /** The certificate as a file (to trust it: NODE_EXTRA_CA_CERTS, or `ca`). */
  certPath: string;
  /** Removes the files. */
  remove(): void;
}

/** A throwaway certificate for 127.0.0.1 (openssl), for test servers that must speak TLS. */
export async function selfSignedCert(name = 'clab-publisher test'): Promise<SelfSignedCert> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-test-tls-'));
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', keyPath, '-out', certPath,
  ]);
  return {
    key: fs.readFileSync(keyPath, 'utf8'),
    cert: fs.readFileSync(certPath, 'utf8'),
    certPath,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
