import { execFile } from 'node:child_process';

/**
 * A network blip as the kernel sees it: every TCP connection on this machine to
 * 127.0.0.1:`port` is destroyed at once (`ss -K`, needs root and a kernel with
 * INET_DIAG_DESTROY); both ends get a reset, as when a Wi-Fi drops.
 */
export function cutConnectionsTo(port: number): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('ss', ['-K', '-t', 'dst', '127.0.0.1', 'dport', '=', `:${port}`], (err, stdout, stderr) => {
      if (err) return reject(new Error(`ss -K failed: ${stderr || err.message}`));
      resolve(stdout);
    }),
  );
}
