/**
 * A host for tests in a process of its own: the real core (a temp data folder, Docker pointed
 * at a socket that does not exist) behind the real host server, WITHOUT cli.ts's last-resort
 * handler. Anything that escapes a request, upgrade or frame handler ends this process, and
 * the test that caused it sees the exit and the stack.
 *
 * argv[2]: JSON {dataDir, staticDir, token?, limits?}. Prints one JSON line {port, token}
 * when it listens; SIGTERM or the end of stdin closes it.
 */
import { createCore } from '../../core/app-core';
import { startHostServer } from '../host-server';

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2]) as { dataDir: string; staticDir: string; token?: string; limits?: Record<string, number> };
  const core = createCore({ dataDir: o.dataDir, dockerHost: 'unix:///nonexistent/clab-publisher-test.sock', env: {} });
  await core.start();
  const server = await startHostServer({ core, host: '127.0.0.1', port: 0, staticDir: o.staticDir, token: o.token, limits: o.limits });
  process.stdout.write(`${JSON.stringify({ port: server.port, token: server.token })}\n`);
  // The test runner holds our stdin: when it goes away (killed, crashed), so does this host.
  process.stdin.on('end', () => process.exit(0)).resume();
  process.once('SIGTERM', () => {
    void server
      .close()
      .then(() => core.dispose())
      .then(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
