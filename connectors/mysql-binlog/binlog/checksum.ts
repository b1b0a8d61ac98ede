import * as zlib from 'node:zlib';

/** Binlog checksum algorithms (the FORMAT_DESCRIPTION event's trailing byte, `@@binlog_checksum`). */
export const ChecksumAlg = { OFF: 0, CRC32: 1, UNDEF: 255 } as const;

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32Table(data: Buffer): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = (TABLE[(crc ^ (data[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

type Crc32 = (data: Buffer) => number;
// zlib.crc32 (Node 20.15+, 22.2+) is the same ISO-HDLC CRC-32 the server uses, and native.
const native = (zlib as unknown as { crc32?: Crc32 }).crc32;

/** CRC-32 (ISO-HDLC, as zlib and the server's `my_checksum`) of `data`. */
export const crc32: Crc32 = typeof native === 'function' ? (data) => native(data) >>> 0 : crc32Table;

/** Exposed for tests: the portable implementation, checked against the native one. */
export const crc32Portable: Crc32 = crc32Table;
