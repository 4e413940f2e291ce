import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePeer, encodePeer, FRAME, frame, FrameReader, u32 } from './frames';

describe('helper frames', () => {
  it('encodes peers as the helper does (family, address, port) and reads them back', () => {
    expect([...encodePeer({ address: '192.0.2.7', port: 161 })]).toEqual([4, 192, 0, 2, 7, 0, 161]);
    const v6 = encodePeer({ address: '2001:db8::1', port: 514 });
    expect(v6.toString('hex')).toBe('06' + '20010db8000000000000000000000001' + '0202');
    expect(decodePeer(v6)).toEqual({ peer: { address: '2001:db8::1', port: 514 }, end: 19 });
    expect(decodePeer(encodePeer({ address: '::ffff:192.0.2.1', port: 1 }))?.peer.address).toBe('::ffff:192.0.2.1');
    expect(decodePeer(Buffer.from([9, 1, 2]))).toBeUndefined();
    expect(decodePeer(Buffer.from([4, 1, 2]))).toBeUndefined();
  });

  it('round-trips any IPv4 and IPv6 peer to the form Node reports addresses in', () => {
    const peer = fc.record({ address: fc.oneof(fc.ipV4(), fc.ipV6()), port: fc.integer({ min: 0, max: 65535 }) });
    fc.assert(
      fc.property(peer, (p) => {
        const family = net.isIPv6(p.address) ? 'ipv6' : 'ipv4';
        const canonical = new net.SocketAddress({ address: p.address, family }).address;
        expect(decodePeer(encodePeer(p))?.peer).toEqual({ address: canonical, port: p.port });
      }),
      { numRuns: 2000 },
    );
  });

  it('reads frames back however the stream was cut, and stops at a length no frame can have', () => {
    const frames = [frame(FRAME.READY, Buffer.from([0x1f, 0x90]), Buffer.from('python3')), frame(FRAME.FLOW_DATA, u32(7), Buffer.alloc(3000, 1)), frame(FRAME.FLOW_CLOSE, u32(7))];
    const all = Buffer.concat(frames);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: all.length }), { maxLength: 10 }), (cuts) => {
        const got: [number, number][] = [];
        const r = new FrameReader((t, body) => got.push([t, body.length]), () => expect.unreachable());
        let at = 0;
        for (const c of [...cuts.sort((a, b) => a - b), all.length]) {
          r.push(all.subarray(at, Math.max(at, c)));
          at = Math.max(at, c);
        }
        expect(got).toEqual([
          [FRAME.READY, 9],
          [FRAME.FLOW_DATA, 3004],
          [FRAME.FLOW_CLOSE, 4],
        ]);
      }),
    );
    let broken = '';
    new FrameReader(() => undefined, (why) => (broken = why)).push(Buffer.from([0xff, 0xff, 0xff, 0xff, 1]));
    expect(broken).toBe('a frame of 4294967295 bytes');
  });
});
