/**
 * The one shell command that starts the datagram helper on an SSH server, run through an exec
 * channel of the connection the app already has. It picks what the server has: python3 (the
 * inline script), else socat (bind mode only, helper-socat.ts), else it says exactly which are
 * missing and exits 127, which the app turns into "install python3 or socat on <host>".
 */
import { HELPER_PYTHON } from './helper-python';
import { SOCAT_BIND_SCRIPT } from './helper-socat';

/** In the helper's command line: how it is found in a process list (and by the tests). */
export const HELPER_MARK = 'clab-publisher-udp-helper';
/** Exit status when the server has neither interpreter. */
export const HELPER_MISSING_EXIT = 127;

/** bind: `address` '' binds where the SSH connection came in; `idleSeconds` ends socat's per-peer children. */
export type HelperMode = { mode: 'bind'; address: string; port: number; idleSeconds: number } | { mode: 'connect' };

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function helperCommand(m: HelperMode, opts: { socat?: boolean } = {}): string {
  const args = m.mode === 'bind' ? ['bind', m.address, String(m.port), String(Math.max(1, Math.round(m.idleSeconds)))] : ['connect'];
  const loader = `import base64;exec(base64.b64decode('${Buffer.from(HELPER_PYTHON).toString('base64')}'))`;
  const python = `exec python3 -c ${quote(loader)} ${[HELPER_MARK, ...args].map(quote).join(' ')}`;
  const lines = [`if command -v python3 >/dev/null 2>&1; then ${python}; fi`];
  const socat = opts.socat !== false && m.mode === 'bind';
  if (socat) lines.push(`if command -v socat >/dev/null 2>&1; then exec sh -c ${quote(SOCAT_BIND_SCRIPT)} ${[HELPER_MARK, ...args.slice(1)].map(quote).join(' ')}; fi`);
  const wanted = socat ? 'neither python3 nor socat' : 'no python3';
  lines.push(`echo "${HELPER_MARK}: ${wanted} on this host (PATH=$PATH)" >&2`, `exit ${HELPER_MISSING_EXIT}`);
  return lines.join('\n');
}
