/**
 * The recent output of one session, bounded in bytes: what a viewer who (re)attaches sees
 * first, so a network blip or a late spectator does not start on a blank screen. Keeps whole
 * chunks and drops the oldest; a chunk larger than the bound keeps only its tail.
 */
export class Backlog {
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(readonly maxBytes: number) {
    if (!(maxBytes > 0)) throw new Error(`backlog size must be positive, got ${maxBytes}`);
  }

  get bytes(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const c = chunk.length > this.maxBytes ? chunk.subarray(chunk.length - this.maxBytes) : chunk;
    this.chunks.push(c);
    this.size += c.length;
    let drop = 0;
    while (this.size > this.maxBytes) {
      const oldest = this.chunks[drop];
      const over = this.size - this.maxBytes;
      if (oldest.length <= over) {
        this.size -= oldest.length;
        drop++;
      } else {
        // Cut the oldest chunk rather than lose it whole: the bound holds to the byte.
        this.chunks[drop] = oldest.subarray(over);
        this.size -= over;
      }
    }
    if (drop) this.chunks = this.chunks.slice(drop);
    // Many small chunks (one per keystroke echo) would make every read a long concat.
    if (this.chunks.length > 256) this.chunks = [Buffer.concat(this.chunks)];
  }

  /** A copy: callers may keep it while output goes on. */
  read(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}
