/**
 * UDP for the UDP bench, in a process of its own (so the load does not share an event loop with
 * what it measures). argv[2]: `echo` (a node: every datagram back to its sender; answers
 * `ready` {port}) or `load` (answers `ready`, then runs each `run` {port, rate, seconds, size}:
 * request/response at a fixed rate from one socket, each datagram carrying its sequence number
 * and send time; answers `result` with the round trips' percentiles and the loss).
 */
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { reply, type Message } from './procs';

const HOST = '127.0.0.1';

function echo(): void {
  const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  s.on('message', (d, peer) => s.send(d, peer.port, peer.address));
  s.bind(0, HOST, () => reply({ type: 'ready', port: s.address().port }));
}

interface Run {
  port: number;
  rate: number;
  seconds: number;
  size: number;
}

function load(r: Run): Promise<Message> {
  const total = Math.round(r.rate * r.seconds);
  const rtt = new Float64Array(total).fill(-1);
  const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  let received = 0;
  let lastSend = 0;
  return new Promise((resolve) => {
    s.on('message', (d) => {
      if (d.length < 12) return;
      const seq = d.readUInt32BE(0);
      if (seq >= total || rtt[seq] >= 0) return;
      rtt[seq] = performance.now() - d.readDoubleBE(4);
      received++;
    });
    s.connect(r.port, HOST, () => {
      const buf = Buffer.alloc(r.size);
      const start = performance.now();
      let sent = 0;
      // Paced by the clock, in the 1 ms steps timers give: ~rate/1000 datagrams each step.
      const tick = () => {
        const due = Math.min(total, Math.floor(((performance.now() - start) * r.rate) / 1000));
        for (; sent < due; sent++) {
          buf.writeUInt32BE(sent, 0);
          buf.writeDoubleBE(performance.now(), 4);
          s.send(buf);
        }
        if (sent < total) return void setTimeout(tick, 1);
        lastSend = performance.now();
        // Stragglers get a second after the last datagram went out.
        const wait = () => (received < total && performance.now() - lastSend < 1000 ? setTimeout(wait, 10) : finish(start));
        wait();
      };
      tick();
    });
    const finish = (start: number) => {
      s.close();
      const got = Array.from(rtt).filter((x) => x >= 0).sort((a, b) => a - b);
      const q = (p: number) => (got.length ? got[Math.min(got.length - 1, Math.max(0, Math.ceil(p * got.length) - 1))] : NaN);
      resolve({ type: 'result', sent: total, received, loss: (total - received) / total, p50: q(0.5), p99: q(0.99), max: got[got.length - 1] ?? NaN, sendMs: lastSend - start });
    };
  });
}

const mode = process.argv[2];
process.on('disconnect', () => process.exit(0));
if (mode === 'echo') echo();
else {
  reply({ type: 'ready' });
  process.on('message', (m: Message) => {
    if (m.type === 'run') void load(m as unknown as Run).then(reply);
    if (m.type === 'stop') process.exit(0);
  });
}
