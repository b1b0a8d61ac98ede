/**
 * A small seeded PRNG: xoshiro128** (Blackman & Vigna), seeded by hashing (seed, id, salt) into its
 * 128-bit state. Generated records are a pure function of (seed, kind, id), which is what lets a
 * restarted source regenerate exactly the records it would have produced before a crash.
 *
 * Invariant: no Math.random, no clock, no shared state: two generators built from the same inputs
 * produce the same sequence on every platform (all arithmetic is 32-bit integer via Math.imul).
 */

const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_53 = 2 ** 53;

export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** Takes the raw 128-bit state; an all-zero state is a fixed point, so it is nudged to non-zero. */
  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 >>> 0;
    this.s1 = s1 >>> 0;
    this.s2 = s2 >>> 0;
    this.s3 = s3 >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next unsigned 32-bit output. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits of precision (two draws). */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 0x400_0000 + lo) / TWO_POW_53;
  }

  /** Uniform integer in [0, n); n must be a positive safe integer. */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.nextInt(items.length)];
    if (item === undefined) throw new RangeError('pick: empty list');
    return item;
  }
}

/**
 * The generator for one record. `seed` and `id` are non-negative safe integers; `salt` separates
 * record kinds so `users` #5 and `orders` #5 are not correlated.
 */
export function recordRandom(seed: number, id: number, salt: number): Xoshiro128 {
  const words = [seed % TWO_POW_32, Math.floor(seed / TWO_POW_32), id % TWO_POW_32, Math.floor(id / TWO_POW_32), salt];
  // Four independent 32-bit hashes of the same inputs (different initial values) fill the state,
  // so distinct (seed, id) pairs collide only with 2^-128-ish probability, not 2^-32.
  const state = [0, 1, 2, 3].map((lane) => {
    let h = Math.imul(lane + 1, 0x9e3779b9);
    for (const w of words) h = mix32(h, w);
    return fmix32(h ^ (words.length * 4));
  });
  return new Xoshiro128(state[0] ?? 0, state[1] ?? 0, state[2] ?? 0, state[3] ?? 0);
}

/** A stable 32-bit hash of a string (FNV-1a), for turning names into salts. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** MurmurHash3's block mix. */
function mix32(h: number, value: number): number {
  let v = Math.imul(value | 0, 0xcc9e2d51);
  v = rotl(v, 15);
  v = Math.imul(v, 0x1b873593);
  let x = h ^ v;
  x = rotl(x, 13);
  return (Math.imul(x, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finalizer: every input bit affects every output bit. */
function fmix32(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
