/**
 * Murmur2 exactly as the Java client's `org.apache.kafka.common.utils.Utils.murmur2(byte[])`, which
 * decides the partition of every keyed record a Java producer (and Kafka Streams, and Kafka Connect)
 * writes. Matching it bit for bit lets Tributary and Java producers share a keyed topic without
 * splitting one key across two partitions. Checked against vectors printed by the real Java client
 * (test/fixtures/murmur2/).
 *
 * Java does this in signed 32-bit ints with wrap-around; here `Math.imul` gives the same low 32 bits
 * of a product, `| 0` truncates to int32 and `>>>` is Java's unsigned shift. Bytes are read unsigned
 * (`data[i] & 0xff` in Java); a Node Buffer already yields 0..255.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** The Java client's murmur2: a signed 32-bit hash of `data`. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = (data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24)) | 0;
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  // The tail mirrors Java's fall-through switch on `length % 4`: with 3 bytes left it mixes bytes
  // 2, 1 and 0, then multiplies once; with none left it does nothing.
  const tail = length & ~3;
  const left = length & 3;
  if (left > 0) {
    if (left === 3) h ^= data[tail + 2]! << 16;
    if (left >= 2) h ^= data[tail + 1]! << 8;
    h ^= data[tail]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Java's `Utils.toPositive`: clears the sign bit (not `Math.abs`, which differs for negatives). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition a Java producer picks for a record with this serialized key (`BuiltInPartitioner.partitionForKey`). */
export function partitionForKey(key: Uint8Array, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new RangeError(`partitioning by key: numPartitions must be a positive integer, got ${numPartitions}`);
  }
  return toPositive(murmur2(key)) % numPartitions;
}
