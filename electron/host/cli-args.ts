/** Command-line parsing for `clab-publisher`: small enough not to need a library. */
import type { PublishGrammar } from '../../shared/publish-grammar';
import { isProviderKind, PROVIDER_KINDS, type ProviderKind } from '../core/topology/provider-check';

export interface ServeArgs {
  command: 'serve';
  host: string;
  port: number;
  dataDir?: string;
  /** API clients at once (default 64). */
  maxClients?: number;
}
export interface HelpArgs {
  command: 'help';
}
export interface CheckArgs {
  command: 'check';
  file: string;
  json: boolean;
  provider: ProviderKind;
  grammar?: PublishGrammar;
}
export interface ShareCardArgs {
  command: 'share-card';
  lab: string;
  /** A share's id or title, when the lab has several. */
  share?: string;
  host?: string;
  json: boolean;
  dataDir?: string;
}
export type CliArgs = ServeArgs | CheckArgs | ShareCardArgs | HelpArgs;

export class UsageError extends Error {}

export const USAGE = `usage:
  clab-publisher serve [--host 127.0.0.1] [--port 4711] [--data-dir DIR] [--max-clients 64]
      Run the headless host: the app's UI and API for a browser, on a lab server.
      Prints the URL to open (it carries a token that changes at every start, or
      CLAB_PUBLISHER_TOKEN: at least 32 random characters).
  clab-publisher check <topology> [--json] [--provider local|ssh|border0] [--grammar mysocketio|border0]
      Read a containerlab topology as containerlab does and show what its publish entries
      publish, or where they are wrong. Exit 0 clean, 1 entry errors, 2 file unusable.
  clab-publisher share-card <lab> [--share ID|TITLE] [--host HOST] [--json] [--data-dir DIR]
      Print the card of a lab's share as Markdown (or --json): per port the address and a
      ready command, the ssh_config. Read from the data folder. Exit 0 printed, 2 no share.
  clab-publisher help`;

export function parseArgs(argv: string[]): CliArgs {
  const [command = 'help', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'check') return parseCheck(rest);
  if (command === 'share-card') return parseShareCard(rest);
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
    else if (flag === '--max-clients') {
      const v = need();
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new UsageError(`--max-clients ${v}: expected a whole number from 1 to 10000`);
      out.maxClients = n;
    }
    else throw new UsageError(`unknown option "${flag}"`);
  }
  return out;
}

function parseCheck(rest: string[]): CheckArgs {
  let file: string | undefined;
  const out: Omit<CheckArgs, 'file'> = { command: 'check', json: false, provider: 'local' };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--json') out.json = true;
    else if (flag === '--provider') {
      const v = value();
      if (!isProviderKind(v)) throw new UsageError(`--provider ${v}: expected one of ${PROVIDER_KINDS.join(', ')}`);
      out.provider = v;
    } else if (flag === '--grammar') {
      const v = value();
      if (v !== 'mysocketio' && v !== 'border0') throw new UsageError(`--grammar ${v}: expected mysocketio or border0`);
      out.grammar = v;
    } else if (flag.startsWith('--')) throw new UsageError(`unknown option "${flag}"`);
    else if (file === undefined) file = flag;
    else throw new UsageError(`check takes one topology file, got "${file}" and "${flag}"`);
  }
  if (file === undefined) throw new UsageError('check needs a topology file, e.g. clab-publisher check lab.clab.yml');
  return { ...out, file };
}

function parseShareCard(rest: string[]): ShareCardArgs {
  let lab: string | undefined;
  const out: Omit<ShareCardArgs, 'lab'> = { command: 'share-card', json: false };
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const value = () => {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--json') out.json = true;
    else if (flag === '--share') out.share = value();
    else if (flag === '--host') out.host = value();
    else if (flag === '--data-dir') out.dataDir = value();
    else if (flag.startsWith('--')) throw new UsageError(`unknown option "${flag}"`);
    else if (lab === undefined) lab = flag;
    else throw new UsageError(`share-card takes one lab name, got "${lab}" and "${flag}"`);
  }
  if (lab === undefined) throw new UsageError('share-card needs a lab name, e.g. clab-publisher share-card srl01');
  return { ...out, lab };
}
