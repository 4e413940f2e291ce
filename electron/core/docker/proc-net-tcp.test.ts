import { describe, expect, it } from 'vitest';
import { isLoopback, listeningPorts, parseProcNetTcp } from './proc-net-tcp';

// Captured from the test node container (busybox httpd on 80, nc on 7 and 8080, all bound
// to [::]) on a user-defined Docker network: 127.0.0.11 is Docker's embedded DNS.
const TEST_NODE = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 0B00007F:86F9 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 13586 1 00000000d37c4bf3 100 0 0 10 0                     
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0007 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 13000 1 00000000a058cc53 100 0 0 10 0
   1: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 13633 1 000000002495a1c1 100 0 0 10 0
   2: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 13002 1 000000008343b8a0 100 0 0 10 0
`;

// Captured from a Linux host with Node listeners on 0.0.0.0:40005, 127.0.0.1:40004, [::]:40003,
// [::1]:40002 and [::ffff:127.0.0.1]:40001, plus one established loopback connection.
const HOST_TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   1: 00000000:9C45 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 16346 1 0000000048caa5e3 100 0 0 10 0                     
   2: 0100007F:9C44 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 16345 1 00000000d37c4bf3 100 0 0 10 0                     
   3: 0100007F:9074 0100007F:9C45 01 00000000:00000000 00:00000000 00000000     0        0 16348 2 00000000427e5fd4 20 0 0 10 -1                     
   4: 0100007F:9C45 0100007F:9074 01 00000000:00000000 00:00000000 00000000     0        0 16349 1 000000003ae45726 20 0 0 10 -1                     
`;
const HOST_TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:9C43 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 16344 1 00000000de681e65 100 0 0 10 0
   1: 00000000000000000000000001000000:9C42 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 16343 1 000000007066f3c5 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:9C41 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 16342 1 000000002bba6fd4 100 0 0 10 0
`;

describe('parseProcNetTcp', () => {
  it('decodes IPv4, IPv6 and v4-mapped addresses in host byte order', () => {
    const s = parseProcNetTcp(HOST_TCP + HOST_TCP6);
    expect(s.map((x) => `${x.address}|${x.port}|${x.state}`)).toEqual([
      '0.0.0.0|40005|0A',
      '127.0.0.1|40004|0A',
      '127.0.0.1|36980|01',
      '127.0.0.1|40005|01',
      '0:0:0:0:0:0:0:0|40003|0A',
      '0:0:0:0:0:0:0:1|40002|0A',
      '0:0:0:0:0:ffff:7f00:1|40001|0A',
    ]);
  });

  it('decodes a non-loopback IPv6 and a specific IPv4 address', () => {
    const text = [
      '   0: 000080FE00000000FF4E42025EC2E7FE:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1',
      '   1: 0214A8C0:0035 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 2 1',
    ].join('\n');
    expect(parseProcNetTcp(text).map((x) => x.address)).toEqual(['fe80:0:0:0:242:4eff:fee7:c25e', '192.168.20.2']);
  });

  it('skips headers, blank lines and junk', () => {
    expect(parseProcNetTcp('  sl  local_address rem_address st\n\nnot a table\n  7: zz:0016 x 0A\n')).toEqual([]);
  });
});

describe('listeningPorts', () => {
  it('lists the test node ports and leaves out the embedded DNS on 127.0.0.11', () => {
    expect(listeningPorts(TEST_NODE)).toEqual([7, 80, 8080]);
  });

  it('keeps wildcard listeners, drops loopback-only ones and established sockets', () => {
    expect(listeningPorts(HOST_TCP + HOST_TCP6)).toEqual([40003, 40005]);
  });

  it('dedupes a port listening on both tables and sorts', () => {
    const both = `   0: 00000000:1F90 00000000:0000 0A 0 0 0 0 0 1 1
   1: 00000000:0016 00000000:0000 0A 0 0 0 0 0 1 1
   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 0 0 0 0 0 1 1`;
    expect(listeningPorts(both)).toEqual([22, 8080]);
  });

  it('keeps a port bound to loopback and to a reachable address', () => {
    const text = `   0: 0100007F:0050 00000000:0000 0A 0 0 0 0 0 1 1
   1: 0214A8C0:0050 00000000:0000 0A 0 0 0 0 0 1 1`;
    expect(listeningPorts(text)).toEqual([80]);
  });

  it('returns nothing for empty or failed output', () => {
    expect(listeningPorts('')).toEqual([]);
    expect(listeningPorts('OCI runtime exec failed: exec: "cat": executable file not found in $PATH')).toEqual([]);
  });
});

describe('isLoopback', () => {
  it('covers 127.0.0.0/8, ::1 and v4-mapped loopback only', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.1.2.3')).toBe(true);
    expect(isLoopback('0:0:0:0:0:0:0:1')).toBe(true);
    expect(isLoopback('0:0:0:0:0:ffff:7f00:1')).toBe(true);
    expect(isLoopback('0:0:0:0:0:ffff:700:1')).toBe(false);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('0:0:0:0:0:0:0:0')).toBe(false);
    expect(isLoopback('172.20.20.2')).toBe(false);
  });
});
