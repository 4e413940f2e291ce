/**
 * The real Docker daemon, seen through a keyhole: a unix socket that forwards every request
 * to it, except that container lists and event streams are narrowed to one lab
 * (`containerlab=<lab>`, or none at all). The shared daemon of a test machine runs other
 * people's labs; an app started by a shell test must neither scan nor publish those.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const UPSTREAM = (process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice('unix://'.length) : undefined) ?? '/var/run/docker.sock';
const NARROWED = /^\/(v[\d.]+\/)?(containers\/json|events)$/;
const LAB_LABEL = 'containerlab';

/** `filters` with every bare `containerlab` label filter pinned to `containerlab=<lab>`. */
export function narrowFilters(filters: string | null, lab: string): string {
  let f: Record<string, unknown> = {};
  try {
    f = filters ? (JSON.parse(filters) as Record<string, unknown>) : {};
  } catch {
    // Docker would refuse it anyway; send a filter that matches nothing.
  }
  const labels = Array.isArray(f.label) ? (f.label as string[]).filter((l) => l !== LAB_LABEL && !l.startsWith(`${LAB_LABEL}=`)) : [];
  return JSON.stringify({ ...f, label: [...labels, `${LAB_LABEL}=${lab}`] });
}

export interface DockerView {
  /** For DOCKER_HOST. */
  host: string;
  close(): Promise<void>;
}

/** `lab` undefined: the app sees no lab at all. */
export async function startDockerView(dir: string, lab?: string): Promise<DockerView> {
  const socketPath = path.join(dir, 'docker-view.sock');
  fs.rmSync(socketPath, { force: true });
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://docker');
    if (NARROWED.test(url.pathname)) url.searchParams.set('filters', narrowFilters(url.searchParams.get('filters'), lab ?? 'clab-publisher-shell-test-no-lab'));
    const up = http.request({ socketPath: UPSTREAM, method: req.method, path: url.pathname + url.search, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      // Node holds written headers until the first body byte; an event stream may wait long for one.
      res.flushHeaders();
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.pipe(up);
  });
  // `docker exec` hijacks the connection (Upgrade: tcp): pass it through as raw bytes.
  server.on('upgrade', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const up = net.connect(UPSTREAM, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) up.write(head);
      client.pipe(up).pipe(client);
    });
    for (const s of [client, up]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => (client.destroy(), up.destroy()));
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(socketPath, resolve));
  return {
    host: `unix://${socketPath}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
