/**
 * The last occurrence of each primary key within one file, in bounded memory, over two passes of
 * the file. Pass 1 `observe`s each row's key; pass 2 asks `isLast`.
 *
 * Memory: the keys themselves are not kept. A 32-bit hash of each key goes into an open-addressing
 * table of typed arrays (1,000,000 keys ≈ 12 MiB), marked once seen twice. Only keys whose hash was
 * already present — real duplicates and the rare hash collisions — are kept exactly, in a map to
 * their last record number. So the answer is exact, and memory grows with the duplicates, not the file.
 */
export class Deduplicator {
  private hashes = new Int32Array(1 << 16);
  /** 0 empty, 1 seen once, 2 seen more than once. */
  private states = new Uint8Array(1 << 16);
  private size = 0;
  private readonly repeated = new Map<string, number>();

  /** Keys observed more than once (plus the rare keys sharing a hash with another). */
  get repeatedKeys(): number {
    return this.repeated.size;
  }

  /** Pass 1: a row with this key is record `record`. */
  observe(key: string, record: number): void {
    const h = hash(key);
    const slot = this.find(h);
    if (this.states[slot] === 0) {
      this.hashes[slot] = h;
      this.states[slot] = 1;
      if (++this.size * 2 > this.hashes.length) this.grow();
      return;
    }
    this.states[slot] = 2;
    this.repeated.set(key, record);
  }

  /** Pass 2: whether record `record` is the last observed row with this key. */
  isLast(key: string, record: number): boolean {
    const slot = this.find(hash(key));
    if (this.states[slot] !== 2) return true;
    const last = this.repeated.get(key);
    return last === undefined || last === record;
  }

  private find(h: number): number {
    const mask = this.hashes.length - 1;
    let slot = h & mask;
    while (this.states[slot] !== 0 && this.hashes[slot] !== h) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { hashes, states } = this;
    this.hashes = new Int32Array(hashes.length * 2);
    this.states = new Uint8Array(states.length * 2);
    for (let i = 0; i < hashes.length; i++) {
      if (states[i] === 0) continue;
      const slot = this.find(hashes[i] as number);
      this.hashes[slot] = hashes[i] as number;
      this.states[slot] = states[i] as number;
    }
  }
}

/** FNV-1a over UTF-16 code units, with a final avalanche (murmur3 fmix32). */
function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
