// Span id → index for building the tree of a 100k-span trace. Canonical span ids are 16 lowercase
// hex digits: those are kept as two 32-bit words in typed arrays, so a lookup compares numbers in a
// compact table instead of loading a string scattered somewhere in a large heap (that cache miss
// per lookup was most of the tree's time). Any other id (hand-written fixtures, odd exporters) is
// compared as a string.

// The words of the last id `packId` accepted; read them right after the call.
export let packedHi = 0;
export let packedLo = 0;

const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let d = 0; d < 16; d++) HEX_DIGIT['0123456789abcdef'.charCodeAt(d)] = d;

function word(id: string, from: number): number {
  let w = 0;
  for (let k = from; k < from + 8; k++) {
    const c = id.charCodeAt(k);
    const d = c < 128 ? HEX_DIGIT[c]! : -1;
    if (d < 0) return -1;
    w = w * 16 + d;
  }
  return w;
}

/** True (with the words in `packedHi`/`packedLo`) when `id` is 16 lowercase hex digits. */
export function packId(id: string): boolean {
  if (id.length !== 16) return false;
  const hi = word(id, 0);
  if (hi < 0) return false;
  const lo = word(id, 8);
  if (lo < 0) return false;
  packedHi = hi | 0;
  packedLo = lo | 0;
  return true;
}

// murmur3's finaliser: sequential ids (as some generators hand out) still spread over the table.
function mix(hi: number, lo: number): number {
  let h = hi ^ Math.imul(lo, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function stringHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h, s.length);
}

/** An open-addressing table of entry numbers (0 … capacity-1), keyed by span id. */
export class SpanIdIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly hi: Int32Array;
  private readonly lo: Int32Array;
  /** 1 when the entry's id is packed into `hi`/`lo`, else the id is in `other`. */
  private readonly packed: Uint8Array;
  private readonly other = new Map<number, string>();

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    this.hi = new Int32Array(capacity);
    this.lo = new Int32Array(capacity);
    this.packed = new Uint8Array(capacity);
  }

  /** Entry i for this id unless the id is known; returns the earlier entry or -1. */
  add(id: string, i: number): number {
    if (packId(id)) return this.addPacked(packedHi, packedLo, i);
    for (let slot = stringHash(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const v = this.slots[slot]!;
      if (v === 0) {
        this.slots[slot] = i + 1;
        this.other.set(i, id);
        return -1;
      }
      if (this.packed[v - 1] === 0 && this.other.get(v - 1) === id) return v - 1;
    }
  }

  private addPacked(hi: number, lo: number, i: number): number {
    for (let slot = mix(hi, lo) & this.mask; ; slot = (slot + 1) & this.mask) {
      const v = this.slots[slot]!;
      if (v === 0) {
        this.slots[slot] = i + 1;
        this.hi[i] = hi;
        this.lo[i] = lo;
        this.packed[i] = 1;
        return -1;
      }
      if (this.packed[v - 1] === 1 && this.hi[v - 1] === hi && this.lo[v - 1] === lo) return v - 1;
    }
  }

  /** The first entry with this id, or -1. */
  get(id: string): number {
    if (packId(id)) return this.getPacked(packedHi, packedLo);
    for (let slot = stringHash(id) & this.mask; ; slot = (slot + 1) & this.mask) {
      const v = this.slots[slot]!;
      if (v === 0) return -1;
      if (this.packed[v - 1] === 0 && this.other.get(v - 1) === id) return v - 1;
    }
  }

  /** The first entry whose id `packId` packed into these words, or -1. */
  getPacked(hi: number, lo: number): number {
    for (let slot = mix(hi, lo) & this.mask; ; slot = (slot + 1) & this.mask) {
      const v = this.slots[slot]!;
      if (v === 0) return -1;
      if (this.packed[v - 1] === 1 && this.hi[v - 1] === hi && this.lo[v - 1] === lo) return v - 1;
    }
  }
}
