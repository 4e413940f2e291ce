import { describe, expect, it } from 'vitest';
import { boundUdpPorts, listeningSockets, splitSocketTables } from './proc-net-udp';

// Captured from the Debian test node (`cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp
// /proc/net/udp6`) with sshd on 22, snmpd on udp:161 and udp6:161, rsyslog's imudp on 514,
// `nc -u -l 5000`, and `nc -u 127.0.0.1 9` (a connected client socket). The 127.0.0.11 line is
// Docker's embedded DNS on a user-defined network, added by hand.
const DEBIAN_NODE = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 8521570 1 0000000012345678 100 0 0 10 0                     
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            
 1225: 00000000:00A1 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 8521900 2 00000000a760c820 0       
10111: 00000000:0202 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 8521573 2 000000009c6d8320 0       
10370: 0100007F:8305 0100007F:0009 01 00000000:00000000 00:00000000 00000000     0        0 8520229 2 000000003c63daf7 0       
14597: 00000000:1388 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 8520230 2 00000000c17f6cb5 0       
 3000: 0B00007F:8F3A 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 8520231 2 00000000c17f6cb6 0       
  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 1225: 00000000000000000000000000000000:00A1 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 8521901 2 000000007a45f5b4 0
10111: 00000000000000000000000000000000:0202 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 8521574 2 00000000893c086c 0
`;

describe('UDP socket tables', () => {
  it('keeps bound, unconnected, non-loopback sockets: the node\'s UDP services', () => {
    expect(listeningSockets(DEBIAN_NODE)).toEqual({ tcp: [22], udp: [161, 514, 5000] });
  });

  it('tells the tables apart by their headers: a UDP line is never read as a TCP one', () => {
    const { tcp, udp } = splitSocketTables(DEBIAN_NODE);
    expect(tcp).toContain(':0016 ');
    expect(tcp).not.toContain(':00A1 ');
    expect(udp).toContain(':00A1 ');
    expect(udp).not.toContain(':0016 ');
  });

  it('leaves out connected client sockets and loopback-only ones', () => {
    expect(boundUdpPorts(' 1: 0100007F:8305 0100007F:0009 01 0 0 0 0 0 1 1\n 2: 0100007F:00A1 00000000:0000 07 0 0 0 0 0 1 1')).toEqual([]);
  });

  it('reads an older scan (TCP tables only) as before, and failed output as nothing', () => {
    expect(listeningSockets('   0: 00000000:0016 00000000:0000 0A 0 0 0 0 0 1 1')).toEqual({ tcp: [22], udp: [] });
    expect(listeningSockets('cat: /proc/net/udp6: No such file or directory')).toEqual({ tcp: [], udp: [] });
  });
});
