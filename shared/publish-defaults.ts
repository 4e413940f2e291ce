import type { PublicationType, Transport } from './model';

/** The type the publish dialog preselects for a node port (a UDP port has only one). */
export function defaultTypeForPort(port: number, protocol: Transport = 'tcp'): PublicationType {
  if (protocol === 'udp') return 'udp';
  if (port === 22) return 'tcp';
  if (port === 80 || port === 8080 || port === 3000) return 'http';
  if (port === 443) return 'https';
  return 'tcp';
}

/** The original feature's socket name, kept so people recognise their tunnels. */
export function socketName(node: string, type: PublicationType, port: number): string {
  return `clab-${node}-${type}-${port}`;
}

/** Human-readable byte count, for tables. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
