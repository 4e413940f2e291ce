/**
 * Draws electron/desktop/assets/tray-icon.png (32x32 RGBA): a blue rounded square with three
 * linked white nodes, a lab topology at a glance. No image tools needed: pixels are computed,
 * 4x4 supersampled, and written as a PNG with node:zlib. Run: npx tsx scripts/make-tray-icon.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const SIZE = 32;
const SS = 4;
const nodes = [
  [9, 22],
  [16, 10],
  [23, 22],
] as const;

function distToSegment(px: number, py: number, [ax, ay]: readonly number[], [bx, by]: readonly number[]): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function sample(x: number, y: number): [number, number, number, number] {
  // Rounded square 1..31 with radius 6.
  const r = 6;
  const cx = Math.min(Math.max(x, 1 + r), 31 - r);
  const cy = Math.min(Math.max(y, 1 + r), 31 - r);
  if (Math.hypot(x - cx, y - cy) > r) return [0, 0, 0, 0];
  const white = nodes.some(([nx, ny]) => Math.hypot(x - nx, y - ny) <= 3.6) || [[0, 1], [1, 2], [0, 2]].some(([a, b]) => distToSegment(x, y, nodes[a], nodes[b]) <= 1.3);
  return white ? [255, 255, 255, 255] : [31, 111, 235, 255];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const acc = [0, 0, 0, 0];
    for (let i = 0; i < SS; i++)
      for (let j = 0; j < SS; j++) {
        const [r, g, b, a] = sample(x + (i + 0.5) / SS, y + (j + 0.5) / SS);
        acc[0] += r * a;
        acc[1] += g * a;
        acc[2] += b * a;
        acc[3] += a;
      }
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    const alpha = acc[3] / (SS * SS);
    for (let c = 0; c < 3; c++) raw[o + c] = acc[3] ? Math.round(acc[c] / acc[3]) : 0;
    raw[o + 3] = Math.round(alpha);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf: Buffer) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
const out = path.resolve(__dirname, '../electron/desktop/assets/tray-icon.png');
fs.writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
