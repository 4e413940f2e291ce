import type { TunnelEndpoint } from '../../shared/model';

/** "in 12 s", "in 3 min 5 s", "now". */
export function formatCountdown(targetMs: number, now: number): string {
  const s = Math.max(0, Math.ceil((targetMs - now) / 1000));
  if (s === 0) return 'now';
  if (s < 60) return `in ${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 ? `in ${m} min ${s % 60} s` : `in ${m} min`;
}

/** HH:MM:SS.mmm in local time, for log rows. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** The name people connect to: the DNS name when the provider gave one, else the host. */
export function endpointHost(e: TunnelEndpoint): string {
  return e.dnsName || e.host;
}

/** `host:port`, with brackets around IPv6 literals. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Splits the access field: comma (or whitespace) separated emails and domains. */
export function parseAccessList(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The last part of a path, for `/` and `\\` separators alike (files live on the core's machine). */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1) || path;
}

/** "1 error", "3 errors", "1 entry", "2 entries". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `file:line:column` as compilers print it (the column only when known). */
export function formatLocation(file: string, line?: number, column?: number): string {
  if (!line) return file;
  return `${file}:${line}${column ? `:${column}` : ''}`;
}

/** "3 d 4 h", "4 h 12 min", "12 min", "45 s": a remaining time to read at a glance. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** "3 ms", "<1 ms", "1.2 s": a latency at a glance. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
