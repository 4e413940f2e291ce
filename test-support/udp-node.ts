/**
 * A lab node with real UDP servers, from Debian's own packages (the Debian node image): snmpd on
 * udp:161 (community `public`), rsyslog's imudp on 514 writing every message to SYSLOG_FILE, and
 * a byte-exact UDP echo on 7 that answers each datagram to the peer it came from (perl, which
 * the image has as part of Debian's base).
 */
import Docker from 'dockerode';
import type { LabNodeSpec } from './lab-containers';

export { DEBIAN_IMAGE } from './debian-node';

export const SNMP_COMMUNITY = 'public';
export const SYS_DESCR = 'clab-publisher UDP test node';
export const SYSLOG_FILE = '/var/log/udp-syslog.log';
export const UDP_ECHO_PORT = 7;

const SCRIPT = [
  'set -e',
  `printf 'agentaddress udp:161\\nrocommunity ${SNMP_COMMUNITY} default\\nsysDescr ${SYS_DESCR}\\n' > /tmp/snmpd.conf`,
  // -C: only this config; -LF: its log (and the MIB warnings of a minbase) into a file.
  'snmpd -LF 0-4 /tmp/snmpd.log -C -c /tmp/snmpd.conf -p /tmp/snmpd.pid',
  `printf 'module(load="imudp")\\ninput(type="imudp" port="514")\\n*.* ${SYSLOG_FILE}\\n' > /etc/rsyslog.conf`,
  'rsyslogd -i /tmp/rsyslogd.pid',
  `perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalPort => ${UDP_ECHO_PORT}, Proto => "udp") or die "udp echo: $!\\n"; while (defined $s->recv($b, 65535)) { $s->send($b) }' &`,
  'exec sleep 2147483647',
].join('\n');

export function udpServicesNode(name: string, kind = 'linux'): LabNodeSpec {
  return { name, kind, cmd: ['/bin/sh', '-c', SCRIPT] };
}

/** Runs a command in the container and returns its output (stdout and stderr). */
export async function execIn(containerId: string, cmd: string[], docker = new Docker()): Promise<string> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  const sink = { write: (b: Buffer) => out.push(b) } as unknown as NodeJS.WritableStream;
  await new Promise<void>((resolve, reject) => {
    docker.modem.demuxStream(stream, sink, sink);
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  return Buffer.concat(out).toString('utf8');
}

/** Stops snmpd in the node: UDP 161 stops listening (ICMP port unreachable from then on). */
export const stopSnmpd = (containerId: string) => execIn(containerId, ['sh', '-c', 'kill $(cat /tmp/snmpd.pid)']);
