/**
 * 30 attendees with a browser terminal open, typing at once: the keystroke echo (a key sent,
 * bash's echo of it back) through the app — each attendee's page WebSocket through the share's
 * forward, the terminal service, SSH to the node's sshd — against 30 direct OpenSSH sessions to
 * the same node typing the same script, in the same run, in alternating rounds. The app is the
 * real headless host (`dist-host/cli.js serve`, from `npm run build`); the node a Debian
 * container with OpenSSH. Bounded: 30 typists × 30 keys × 2 rounds per path.
 * Target: app p99 ≤ 50 ms (an echo that still feels immediate); the ratio to direct ssh is
 * reported alongside.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AudienceClient } from '../test-support/audience-client';
import { DEBIAN_IMAGE, debianSshNode, makeClientKey } from '../test-support/debian-node';
import { RpcClient } from '../test-support/rpc-client';
import { benchLab } from './lib/containers';
import { startBenchHost } from './lib/host-rpc';
import { onCleanup } from './lib/procs';
import { failed, median, percentile, result, round, type BenchResult } from './lib/result';
import { CLI } from './lib/ui-page';

const TYPISTS = 30;
const KEYS = 30;
const ROUNDS = 2;
/** A typist's pause between keys (after the echo came back): a fast typist, ~10 keys/s. */
const THINK_MS = 100;
const KEY_TIMEOUT_MS = 5000;
const ROOT = path.resolve(__dirname, '..');
const PASSWORD = `bench-${process.pid}`;
const PROMPT = /[#$] $/;

/** One terminal, however it is reached: write a key, hear what comes back. */
interface Typist {
  write(s: string): void;
  onOutput(l: (s: string) => void): void;
  close(): void;
}

/** Types KEYS letters into bash's line (a comment, so nothing runs), one at a time, timing each echo. */
async function typeScript(t: Typist, offsetMs: number): Promise<number[]> {
  let waiting: ((s: string) => void) | undefined;
  t.onOutput((s) => waiting?.(s));
  await new Promise((r) => setTimeout(r, offsetMs));
  const out: number[] = [];
  const key = (ch: string) =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const timer = setTimeout(() => reject(new Error(`no echo of "${ch}" within ${KEY_TIMEOUT_MS} ms`)), KEY_TIMEOUT_MS);
      waiting = (s) => {
        if (!s.includes(ch)) return;
        clearTimeout(timer);
        waiting = undefined;
        resolve(performance.now() - t0);
      };
      t.write(ch);
    });
  await key('#');
  for (let i = 0; i < KEYS; i++) {
    out.push(await key(String.fromCharCode(97 + (i % 26))));
    await new Promise((r) => setTimeout(r, THINK_MS));
  }
  // Ctrl-U: the line is dropped, the next round starts on an empty prompt.
  t.write('\u0015');
  return out;
}

/** A direct `ssh -tt` to the node, the same pty and the same bash. */
function directSsh(ip: string, keyPath: string): Promise<Typist> {
  return new Promise((resolve, reject) => {
    const p: ChildProcessWithoutNullStreams = spawn('ssh', ['-tt', '-i', keyPath, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `root@${ip}`]);
    onCleanup(() => void p.kill('SIGKILL'));
    let seen = '';
    const ready = (b: Buffer) => {
      seen += b.toString();
      if (!PROMPT.test(seen)) return;
      p.stdout.off('data', ready);
      resolve({ write: (s) => p.stdin.write(s), onOutput: (l) => p.stdout.on('data', (b: Buffer) => l(b.toString())), close: () => p.kill() });
    };
    p.stdout.on('data', ready);
    p.on('exit', (code) => reject(new Error(`ssh exited (${code}) before its prompt: ${seen.slice(-200)}`)));
  });
}

/** An attendee's page with a terminal to r1 open on it, at its prompt. */
async function attendee(link: string, ref: number): Promise<Typist> {
  const c = await AudienceClient.connect(link);
  onCleanup(() => c.close());
  c.send({ t: 'open', ref, node: 'r1', cols: 100, rows: 30 });
  const opened = await c.next((m) => (m.t === 'opened' || m.t === 'error') && m.ref === ref, 'the terminal', 30_000);
  if (opened.t !== 'opened') throw new Error(`the terminal was refused: ${JSON.stringify(opened)}`);
  const sid = opened.sid;
  await c.waitOutput(sid, PROMPT, 30_000);
  return {
    write: (s) => c.send({ t: 'in', sid, d: s }),
    onOutput: (l) => c.ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { t: string; sid?: string; d?: string };
      if (m.t === 'data' && m.sid === sid) l(m.d!);
    }),
    close: () => c.close(),
  };
}

export default async function audienceTyping(): Promise<BenchResult[]> {
  const name = `browser terminals: ${TYPISTS} attendees typing at once, keystroke echo p99, app vs direct ssh`;
  const target = 'app p99 ≤ 50 ms';
  if (!fs.existsSync(CLI) || !fs.existsSync(path.join(ROOT, 'dist-audience', 'index.html'))) {
    const reason = 'skipped: dist-host/cli.js or dist-audience/ missing (run "npm run build")';
    console.error(`bench audience ${reason}`);
    return [failed(name, 'ms', target, reason)];
  }
  try {
    const key = makeClientKey();
    onCleanup(() => key.remove());
    const labName = `bench-aud${process.pid}`;
    const lab = await benchLab({ lab: labName, image: DEBIAN_IMAGE, nodes: [debianSshNode('r1', key.publicKey, 'linux', { rootPassword: PASSWORD, sshdOptions: ['MaxStartups=100:30:200', 'MaxSessions=100'] })] });
    await lab.waitForPorts('r1', [22]);
    const { host } = await startBenchHost();
    const api = await RpcClient.open(host);
    onCleanup(() => api.close());
    await api.waitFor('labs.changed', () => api.call('labs.list', {}), (ls) => ls.find((l) => l.name === labName && l.nodes.some((n) => n.state === 'running')), 'the lab', 30_000);
    const pub = await api.call('publications.add', { lab: labName, node: 'r1', port: 22, type: 'ssh' });
    await api.tunnel(pub.id, (t) => t.state === 'online', 'online');
    const share = await api.call('shares.create', { lab: labName, title: 'Bench class' });
    await api.call('shares.setCredentials', { id: share.id, node: 'r1', user: 'root', password: PASSWORD });
    await api.call('shares.setAudience', { id: share.id, terminals: [{ node: 'r1', via: 'ssh' }], maxSessions: 1 });
    const links: string[] = [];
    for (let i = 0; i < TYPISTS; i++) links.push((await api.call('shares.addAttendee', { id: share.id, name: `attendee ${i + 1}` })).link!);
    // Opened a few at a time, as a class does when the link goes up: sshd takes them all.
    const app: Typist[] = [];
    for (let i = 0; i < TYPISTS; i += 5) app.push(...(await Promise.all(links.slice(i, i + 5).map((l, j) => attendee(l, i + j + 1)))));
    const ip = await lab.ip('r1');
    const direct: Typist[] = [];
    for (let i = 0; i < TYPISTS; i += 5) direct.push(...(await Promise.all(Array.from({ length: Math.min(5, TYPISTS - i) }, () => directSsh(ip, key.keyPath)))));
    const ms = { app: [] as number[], direct: [] as number[] };
    // Rounds alternate, so a busy moment of the machine falls on both paths alike; within a
    // round all 30 type at once, each starting at a random point of the first keystroke gap.
    for (let r = 0; r < ROUNDS; r++) {
      for (const [k, typists] of [['app', app], ['direct', direct]] as const) {
        const all = await Promise.all(typists.map((t) => typeScript(t, Math.random() * THINK_MS)));
        ms[k].push(...all.flat());
      }
    }
    [...app, ...direct].forEach((t) => t.close());
    const p99 = (k: keyof typeof ms) => round(percentile(ms[k], 0.99), 2);
    const appP99 = p99('app');
    const ratio = appP99 / p99('direct');
    return [
      result({
        name,
        unit: 'ms',
        app: appP99,
        baseline: p99('direct'),
        baselines: { 'direct ssh': p99('direct') },
        ratio: round(ratio),
        target,
        met: appP99 <= 50,
        note: `p50 ${round(median(ms.app), 2)} ms through the app, ${round(median(ms.direct), 2)} ms direct; ${ms.app.length} keystrokes per path (${TYPISTS} typists × ${KEYS} keys × ${ROUNDS} rounds, ~${Math.round(1000 / THINK_MS)} keys/s each)`,
        details: {
          typists: TYPISTS,
          keystrokesPerPath: ms.app.length,
          p50Ms: { app: round(median(ms.app), 3), direct: round(median(ms.direct), 3) },
          p90Ms: { app: round(percentile(ms.app, 0.9), 3), direct: round(percentile(ms.direct, 0.9), 3) },
          maxMs: { app: round(Math.max(...ms.app), 3), direct: round(Math.max(...ms.direct), 3) },
        },
      }),
    ];
  } catch (err) {
    return [failed(name, 'ms', target, err)];
  }
}
