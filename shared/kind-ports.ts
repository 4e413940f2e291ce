/**
 * Well-known management ports per containerlab kind, shown as hints in the port picker
 * (facts: docs/containerlab.md, "Well-known management ports by kind"; the UDP services:
 * docs/udp.md, "Discovery"). Real listening ports always win over hints.
 */
import type { Transport } from './model';

export interface PortHint {
  port: number;
  service: string;
  /** Absent: TCP. */
  protocol?: Transport;
}

/** Every network OS kind below runs an SNMP agent on UDP 161 (often to be enabled first). */
const SNMP_AGENT: PortHint = { port: 161, service: 'snmp', protocol: 'udp' };

const SRL: PortHint[] = [
  { port: 22, service: 'ssh' },
  { port: 57400, service: 'gNMI' },
  { port: 443, service: 'JSON-RPC' },
  { port: 830, service: 'NETCONF' },
  SNMP_AGENT,
];
const CEOS: PortHint[] = [
  { port: 22, service: 'ssh' },
  { port: 6030, service: 'gNMI' },
  { port: 443, service: 'eAPI' },
  { port: 830, service: 'NETCONF' },
  SNMP_AGENT,
];
const CISCO: PortHint[] = [
  { port: 22, service: 'ssh' },
  { port: 830, service: 'NETCONF' },
  { port: 57400, service: 'gNMI' },
  SNMP_AGENT,
];
const JUNIPER: PortHint[] = [
  { port: 22, service: 'ssh' },
  { port: 830, service: 'NETCONF' },
  { port: 32767, service: 'gNMI' },
  SNMP_AGENT,
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

/**
 * UDP services of network labs: the agent (161) on the devices, and what collectors in the lab
 * listen on: traps, syslog, TFTP (configs, images), NetFlow v5/v9, IPFIX, sFlow.
 */
const UDP_SERVICES: Record<number, string> = {
  69: 'tftp',
  161: 'snmp',
  162: 'snmp-trap',
  514: 'syslog',
  2055: 'NetFlow',
  4739: 'IPFIX',
  6343: 'sFlow',
};

export function serviceForPort(port: number, protocol: Transport = 'tcp'): string | undefined {
  return protocol === 'udp' ? UDP_SERVICES[port] : COMMON_SERVICES[port];
}
