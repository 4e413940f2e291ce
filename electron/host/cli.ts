import fs from 'node:fs';
import path from 'node:path';
import { createCore } from '../core/app-core';
import { runCheck } from './check-command';
import { parseArgs, USAGE, UsageError } from './cli-args';
import { runShareCard } from './share-card-command';
import { defaultDataDir } from './data-dir';
import { startHostServer } from './host-server';
import { hostTokenProblem } from './host-token';
import { installLastResort } from './last-resort';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

async function serve({ host, port, dataDir, maxClients }: { host: string; port: number; dataDir: string; maxClients?: number }): Promise<void> {
  // Checked before anything starts: a weak fixed token is worse than none.
  const fixedToken = process.env.CLAB_PUBLISHER_TOKEN || undefined;
  const tokenProblem = fixedToken === undefined ? undefined : hostTokenProblem(fixedToken);
  if (tokenProblem) {
    console.error(`clab-publisher: ${tokenProblem}`);
    process.exit(2);
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Bundled: dist-host/cli.js next to dist-renderer/ and dist-audience/. From source (tsx): electron/host/cli.ts.
  const built = (name: string) => [path.join(__dirname, '..', name), path.join(__dirname, '..', '..', name)].find((d) => fs.existsSync(d)) ?? path.join(__dirname, '..', name);
  const core = createCore({ dataDir, audienceDir: built('dist-audience') });
  await core.start();
  const staticDir = built('dist-renderer');
  const server = await startHostServer({ core, host, port, staticDir, token: fixedToken, limits: maxClients === undefined ? undefined : { maxClients } });
  const removeLastResort = installLastResort(process, {
    say: (line) => console.error(`clab-publisher: ${line}`),
    exit: (code) => process.exit(code),
  });
  if (!LOOPBACK.has(host)) {
    console.warn(`clab-publisher: WARNING: listening on ${host}, not loopback: anyone who can reach this address and has the URL's token can publish your lab nodes.`);
  }
  console.log(`clab-publisher: data folder ${dataDir}`);
  console.log(`clab-publisher: open ${server.url}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    removeLastResort();
    console.log(`clab-publisher: ${signal}: closing tunnels`);
    await server.close();
    await core.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`clab-publisher: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.command === 'help') return console.log(USAGE);
  // exitCode, not exit(): let the report reach a pipe before the process ends.
  if (args.command === 'check') return void (process.exitCode = await runCheck(args));
  if (args.command === 'share-card') return void (process.exitCode = runShareCard(args, args.dataDir ?? defaultDataDir()));
  await serve({ ...args, dataDir: args.dataDir ?? defaultDataDir() });
}

main().catch((err: NodeJS.ErrnoException) => {
  const hint = err.code === 'EADDRINUSE' ? ' (the port is taken: pass --port with another one, or --port 0 for any free port)' : '';
  console.error(`clab-publisher: ${err.message}${hint}`);
  process.exit(1);
});
