/**
 * Well-known management ports per containerlab kind, shown as hints in the port picker
 * (facts: docs/containerlab.md, "Well-known management ports by kind"). Real listening
 * ports always win over hints.
 */
export interface PortHint {
  port: number;
  service: string;
}

const SRL: PortHint[] = [
  { port: 22, service: 'ssh' },
  { port: 57400, service: 'gNMI' },
  { port: 443, service: 'JSON-RPC' },
  { port: 830, service: 'NETCONF' },
];
const CEOS: PortHint[] = [
  { port: 22, service: 'ssh' },
  { port: 6030, service: 'gNMI' },
  { port: 443, service: 'eAPI' },
  { port: 830, service: 'NETCONF' },
];
const CISCO: PortHint[] = [
  { port: 22, service: 'ssh' },
  { port: 830, service: 'NETCONF' },
  { port: 57400, service: 'gNMI' },
];
const JUNIPER: PortHint[] = [
  { port: 22, service: 'ssh' },
  { port: 830, service: 'NETCONF' },
  { port: 32767, service: 'gNMI' },
];

/** Service names for ports that commonly listen on any node. */
const COMMON_SERVICES: Record<number, string> = {
  22: 'ssh',
  23: 'telnet',
  80: 'http',
  161: 'snmp',
  443: 'https',
  830: 'NETCONF',
  3000: 'Grafana',
  6030: 'gNMI',
  8080: 'http-alt',
  9090: 'Prometheus',
  9339: 'gNMI',
  32767: 'gNMI',
  57400: 'gNMI',
};

export function portHintsForKind(kind: string): PortHint[] {
  const k = kind.toLowerCase();
  if (k === 'srl' || k === 'nokia_srlinux') return SRL;
  if (k === 'ceos' || k === 'arista_ceos') return CEOS;
  if (k.startsWith('cisco_') || k === 'xrd' || k === 'csr' || k === 'vr-csr' || k === 'vr-xrv9k') return CISCO;
  if (k === 'crpd' || k.startsWith('juniper_') || k.startsWith('vr-vjunos')) return JUNIPER;
  return [];
}

export function serviceForPort(port: number): string | undefined {
  return COMMON_SERVICES[port];
}
