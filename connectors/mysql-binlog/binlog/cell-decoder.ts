import type { ByteReader } from '../wire/byte-reader.ts';
import type { TextDecoderFn } from './charset.ts';
import { ColumnType, columnTypeName } from './column-type.ts';
import { decimalBinarySize, decodeDecimal } from './decimal.ts';
import { decodeJsonBinary } from './json-binary.ts';
import { decodeDate, decodeDatetime2, decodeDatetimeV1, decodeTime2, decodeTimeV1, decodeTimestamp2, formatEpoch, temporal2Size } from './temporal.ts';

/**
 * One decoded cell, lossless:
 * - integers up to 32 bits: number (UNSIGNED applied); BIGINT: bigint (UNSIGNED up to 2^64-1);
 * - FLOAT/DOUBLE: number (FLOAT is the exact single-precision value widened to a double);
 * - DECIMAL: exact decimal string with `scale` fraction digits;
 * - temporal types: MySQL's text form (TIMESTAMP in UTC), see temporal.ts; YEAR: number;
 * - character data: string; binary data, BIT and GEOMETRY (SRID + WKB): Buffer;
 * - ENUM/SET: member names (SET comma-separated), or the raw index/bitmask when names are unknown;
 * - MySQL JSON: JSON text.
 */
export type CellValue = null | number | bigint | string | Buffer;

/** What decoding one column needs: its binlog type and metadata plus what the schema adds. */
export interface ColumnCodec {
  type: number;
  meta: number;
  unsigned: boolean;
  /** null: binary data, kept as bytes. */
  decodeText: TextDecoderFn | null;
  enumValues?: string[];
  setValues?: string[];
}

export function decodeCell(r: ByteReader, c: ColumnCodec): CellValue {
  switch (c.type) {
    case ColumnType.TINY:
      return c.unsigned ? r.u8() : r.i8();
    case ColumnType.SHORT:
      return c.unsigned ? r.u16() : r.i16();
    case ColumnType.INT24:
      return c.unsigned ? r.u24() : r.i24();
    case ColumnType.LONG:
      return c.unsigned ? r.u32() : r.i32();
    case ColumnType.LONGLONG:
      return c.unsigned ? r.u64() : r.i64();
    case ColumnType.FLOAT:
      return r.f32();
    case ColumnType.DOUBLE:
      return r.f64();
    case ColumnType.NEWDECIMAL: {
      const precision = c.meta >> 8;
      const scale = c.meta & 0xff;
      return decodeDecimal(r.bytes(decimalBinarySize(precision, scale)), precision, scale);
    }
    case ColumnType.YEAR: {
      const y = r.u8();
      return y === 0 ? 0 : 1900 + y;
    }
    case ColumnType.DATE:
    case ColumnType.NEWDATE:
      return decodeDate(r.u24());
    case ColumnType.TIME:
      return decodeTimeV1(r.i24());
    case ColumnType.TIME2: {
      const at = r.pos;
      r.skip(temporal2Size('time', c.meta));
      return decodeTime2(r.buf, at, c.meta);
    }
    case ColumnType.DATETIME:
      return decodeDatetimeV1(r.u64());
    case ColumnType.DATETIME2: {
      const at = r.pos;
      r.skip(temporal2Size('datetime', c.meta));
      return decodeDatetime2(r.buf, at, c.meta);
    }
    case ColumnType.TIMESTAMP:
      return formatEpoch(r.u32(), 0, 0);
    case ColumnType.TIMESTAMP2: {
      const at = r.pos;
      r.skip(temporal2Size('timestamp', c.meta));
      return decodeTimestamp2(r.buf, at, c.meta);
    }
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING: {
      const length = c.meta < 256 ? r.u8() : r.u16();
      return text(r.bytes(length), c);
    }
    case ColumnType.STRING: {
      const length = c.meta < 256 ? r.u8() : r.u16();
      const bytes = r.bytes(length);
      // The server strips a CHAR column's trailing pad before logging it; for BINARY(n) the pad is
      // 0x00 and part of the value (SELECT returns all n bytes), so it is put back.
      if (c.decodeText === null && length < c.meta) return Buffer.concat([bytes, Buffer.alloc(c.meta - length)]);
      return text(bytes, c);
    }
    case ColumnType.ENUM: {
      const index = c.meta === 1 ? r.u8() : r.u16();
      if (c.enumValues === undefined) return index;
      // Index 0 is the "invalid value" empty string MySQL stores for bad input in non-strict mode.
      return index === 0 ? '' : (c.enumValues[index - 1] ?? index);
    }
    case ColumnType.SET: {
      const bytes = r.bytes(c.meta);
      let mask = 0n;
      for (let i = bytes.length - 1; i >= 0; i--) mask = (mask << 8n) | BigInt(bytes[i] as number);
      if (c.setValues === undefined) return mask;
      const members: string[] = [];
      c.setValues.forEach((name, i) => {
        if ((mask >> BigInt(i)) & 1n) members.push(name);
      });
      return members.join(',');
    }
    case ColumnType.BIT: {
      const bytes = (c.meta + 7) >> 3;
      return Buffer.from(r.bytes(bytes));
    }
    case ColumnType.JSON: {
      const length = r.uintLE(c.meta);
      return decodeJsonBinary(r.bytes(length));
    }
    case ColumnType.BLOB:
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB: {
      const length = r.uintLE(c.meta);
      return text(r.bytes(length), c);
    }
    case ColumnType.GEOMETRY:
    case ColumnType.VECTOR: {
      const length = r.uintLE(c.meta);
      return Buffer.from(r.bytes(length));
    }
    case ColumnType.NULL:
      return null;
    default:
      throw new Error(`decoding a row: column type ${columnTypeName(c.type)} is not supported`);
  }
}

function text(bytes: Buffer, c: ColumnCodec): string | Buffer {
  // Copy binary data: the slice would otherwise pin the whole packet buffer in memory.
  return c.decodeText === null ? Buffer.from(bytes) : c.decodeText(bytes);
}
