/**
 * The delay line in a child process of its own, so that its timers keep time while the
 * bench's client and servers are busy. argv[2]: JSON {targetPort, delayMs}; answers `ready`
 * {port}; `stop` closes it.
 */
import { startDelayLine } from './delay-line';
import { reply, type Message } from './procs';

async function main(): Promise<void> {
  process.on('disconnect', () => process.exit(0));
  const cfg = JSON.parse(process.argv[2]) as { targetPort: number; delayMs: number };
  const line = await startDelayLine(cfg);
  reply({ type: 'ready', port: line.port });
  process.on('message', (m: Message) => {
    if (m.type === 'stop') void line.close().finally(() => process.exit(0));
  });
}

main().catch((err: Error) => {
  reply({ type: 'error', message: err.message });
  setTimeout(() => process.exit(1), 100);
});
