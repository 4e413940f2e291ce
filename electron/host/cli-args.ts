/** Command-line parsing for `clab-publisher`: small enough not to need a library. */
export interface ServeArgs {
  command: 'serve';
  host: string;
  port: number;
  dataDir?: string;
}
export interface HelpArgs {
  command: 'help';
}
export type CliArgs = ServeArgs | HelpArgs;

export class UsageError extends Error {}

export const USAGE = `usage:
  clab-publisher serve [--host 127.0.0.1] [--port 4711] [--data-dir DIR]
      Run the headless host: the app's UI and API for a browser, on a lab server.
      Prints the URL to open (it carries a token that changes at every start).
  clab-publisher help`;

export function parseArgs(argv: string[]): CliArgs {
  const [command = 'help', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command !== 'serve') throw new UsageError(`unknown command "${command}"`);
  const out: ServeArgs = { command: 'serve', host: '127.0.0.1', port: 4711 };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = rest[i + 1];
    const need = () => {
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i++;
      return value;
    };
    if (flag === '--host') out.host = need();
    else if (flag === '--port') {
      const v = need();
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port ${v}: expected a whole number from 0 to 65535 (0 picks a free port)`);
      out.port = n;
    } else if (flag === '--data-dir') out.dataDir = need();
    else throw new UsageError(`unknown option "${flag}"`);
  }
  return out;
}
