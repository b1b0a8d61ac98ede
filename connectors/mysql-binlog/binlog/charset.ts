/**
 * Character sets of string columns: collation id (from TABLE_MAP metadata or information_schema) to
 * character set name, and character set name to a decoder. The server's own collation table is loaded
 * at start (`SELECT ID, CHARACTER_SET_NAME FROM information_schema.COLLATIONS`), so ids this built-in
 * list lacks (MariaDB's UCA 14.0 collations, new MySQL ones) still resolve.
 */

/** Collation id 63: bytes, no character set. Columns with it are BINARY/VARBINARY/BLOB. */
export const BINARY_COLLATION = 63;

/** Default collations and the ones schemas use most; enough to decode without the server's table. */
const BUILTIN_COLLATIONS: ReadonlyArray<readonly [number, string]> = [
  [1, 'big5'],
  [5, 'latin1'],
  [8, 'latin1'],
  [11, 'ascii'],
  [19, 'euckr'],
  [24, 'gb2312'],
  [28, 'gbk'],
  [33, 'utf8mb3'],
  [35, 'ucs2'],
  [45, 'utf8mb4'],
  [46, 'utf8mb4'],
  [47, 'latin1'],
  [48, 'latin1'],
  [49, 'latin1'],
  [54, 'utf16'],
  [56, 'utf16le'],
  [60, 'utf32'],
  [63, 'binary'],
  [65, 'ascii'],
  [83, 'utf8mb3'],
  [95, 'cp932'],
  [192, 'utf8mb3'],
  [248, 'gb18030'],
  [255, 'utf8mb4'],
];

/** Bytes-per-character maximum, for deriving CHAR(n)/VARCHAR(n) from byte lengths. */
const MAX_BYTES_PER_CHAR: Record<string, number> = {
  utf8mb4: 4,
  utf8mb3: 3,
  utf8: 3,
  ucs2: 2,
  utf16: 4,
  utf16le: 4,
  utf32: 4,
  big5: 2,
  gbk: 2,
  gb2312: 2,
  gb18030: 4,
  euckr: 2,
  cp932: 2,
  sjis: 2,
  ujis: 3,
  eucjpms: 3,
};

export type TextDecoderFn = (bytes: Buffer) => string;

export class Charsets {
  private readonly byId = new Map<number, string>(BUILTIN_COLLATIONS);
  private readonly decoders = new Map<string, TextDecoderFn | null>();

  /** Adds the server's collation table (id -> character set name). */
  learn(rows: Iterable<readonly [number, string]>): void {
    for (const [id, name] of rows) this.byId.set(id, name);
  }

  charsetOf(collation: number): string | undefined {
    return this.byId.get(collation);
  }

  maxBytesPerChar(charset: string): number {
    return MAX_BYTES_PER_CHAR[charset] ?? 1;
  }

  /**
   * A decoder for a character set, or null for `binary` (the value stays bytes). Unknown character
   * sets fall back to latin1 so bytes are never lost (each byte maps to one code point), with the
   * caller told through `known`.
   */
  decoder(charset: string): { decode: TextDecoderFn | null; known: boolean } {
    if (charset === 'binary') return { decode: null, known: true };
    const cached = this.decoders.get(charset);
    if (cached !== undefined) return { decode: cached, known: true };
    const made = makeDecoder(charset);
    if (made === undefined) return { decode: (b) => b.toString('latin1'), known: false };
    this.decoders.set(charset, made);
    return { decode: made, known: true };
  }
}

function makeDecoder(charset: string): TextDecoderFn | undefined {
  switch (charset) {
    case 'utf8mb4':
    case 'utf8mb3':
    case 'utf8':
      return (b) => b.toString('utf8');
    case 'ascii':
      return (b) => b.toString('latin1');
    case 'latin1':
      return decodeCp1252;
    case 'ucs2':
    case 'utf16':
      return textDecoder('utf-16be');
    case 'utf16le':
      return (b) => b.toString('utf16le');
    case 'utf32':
      return (b) => {
        let s = '';
        for (let i = 0; i + 3 < b.length; i += 4) s += String.fromCodePoint(b.readUInt32BE(i));
        return s;
      };
    case 'cp1250':
    case 'cp1251':
    case 'cp1256':
    case 'cp1257':
      return textDecoder(`windows-${charset.slice(2)}`);
    case 'latin2':
      return textDecoder('iso-8859-2');
    case 'greek':
      return textDecoder('iso-8859-7');
    case 'hebrew':
      return textDecoder('iso-8859-8');
    case 'koi8r':
      return textDecoder('koi8-r');
    case 'koi8u':
      return textDecoder('koi8-u');
    case 'sjis':
    case 'cp932':
      return textDecoder('shift_jis');
    case 'ujis':
    case 'eucjpms':
      return textDecoder('euc-jp');
    case 'euckr':
      return textDecoder('euc-kr');
    case 'gb2312':
    case 'gbk':
      return textDecoder('gbk');
    case 'gb18030':
      return textDecoder('gb18030');
    case 'big5':
      return textDecoder('big5');
    default:
      return undefined;
  }
}

/**
 * MySQL's latin1 is Windows-1252 (0x80 is the euro sign), with the five bytes cp1252 leaves
 * undefined mapped to the C1 controls of the same value. Node's TextDecoder treats the
 * 'windows-1252' label as ISO-8859-1, so the 0x80-0x9F row is mapped here.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function decodeCp1252(b: Buffer): string {
  const latin = b.toString('latin1');
  if (!/[\u0080-\u009f]/.test(latin)) return latin;
  return latin.replace(/[\u0080-\u009f]/g, (ch) => String.fromCharCode(CP1252_HIGH[ch.charCodeAt(0) - 0x80] as number));
}

function textDecoder(label: string): TextDecoderFn | undefined {
  try {
    const d = new TextDecoder(label);
    return (b) => d.decode(b);
  } catch {
    // This Node build lacks the encoding (small-icu); the caller falls back.
    return undefined;
  }
}
