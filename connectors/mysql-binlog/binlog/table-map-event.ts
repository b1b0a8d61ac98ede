import { ByteReader } from '../wire/byte-reader.ts';
import { ColumnType, isCharacterType, isEnumOrSet, isNumericType } from './column-type.ts';

/**
 * A TABLE_MAP event: which table the following row events with `tableId` change, the binlog type and
 * type metadata of each column, and (binlog_row_metadata=MINIMAL/FULL) the optional metadata block,
 * resolved here into per-column arrays.
 *
 * TABLE_MAP post-header => table_id:6 flags:2
 * body => db_len:1 db:NUL table_len:1 table:NUL column_count:lenenc types:n meta_len:lenenc meta
 *         null_bitmap:(n+7)/8 [optional metadata TLVs: type:1 length:lenenc value]
 */
export interface TableMapEvent {
  tableId: number;
  database: string;
  table: string;
  /** Binlog type per column, with STRING resolved to its real type (ENUM, SET or STRING). */
  types: number[];
  /** Type metadata per column (see `readColumnMeta`); for STRING/ENUM/SET the resolved length. */
  meta: number[];
  nullable: boolean[];
  optional: OptionalMetadata;
}

export interface OptionalMetadata {
  /** Per column: true when UNSIGNED; undefined entries for non-numeric columns; absent without SIGNEDNESS. */
  unsigned?: Array<boolean | undefined>;
  /** Per column: collation id of character, ENUM and SET columns. */
  collations?: Array<number | undefined>;
  names?: string[];
  enumValues?: Array<string[] | undefined>;
  setValues?: Array<string[] | undefined>;
  geometryTypes?: Array<number | undefined>;
  /** Column indexes of the primary key, in key order. */
  primaryKey?: number[];
  visible?: boolean[];
}

/* Optional metadata field types (MySQL Table_map_log_event::Optional_metadata_field_type). */
const SIGNEDNESS = 1;
const DEFAULT_CHARSET = 2;
const COLUMN_CHARSET = 3;
const COLUMN_NAME = 4;
const SET_STR_VALUE = 5;
const ENUM_STR_VALUE = 6;
const GEOMETRY_TYPE = 7;
const SIMPLE_PRIMARY_KEY = 8;
const PRIMARY_KEY_WITH_PREFIX = 9;
const ENUM_AND_SET_DEFAULT_CHARSET = 10;
const ENUM_AND_SET_COLUMN_CHARSET = 11;
const COLUMN_VISIBILITY = 12;

/**
 * @param mariaDb MariaDB counts YEAR among the numeric columns of SIGNEDNESS and GEOMETRY among the
 *   character columns of the charset fields (its Field_year is a Field_tiny and Field_geom a
 *   Field_blob); MySQL counts neither. Observed on MariaDB 10.11 with binlog_row_metadata=FULL.
 */
export function decodeTableMap(r: ByteReader, tableIdWidth: 4 | 6, mariaDb: boolean): TableMapEvent {
  const tableId = tableIdWidth === 6 ? r.u48() : r.u32();
  r.skip(2);
  const dbLength = r.u8();
  const database = r.string(dbLength);
  r.skip(1);
  const tableLength = r.u8();
  const table = r.string(tableLength);
  r.skip(1);
  const count = r.lenenc();
  const rawTypes = [...r.bytes(count)];
  const metaLength = r.lenenc();
  const metaReader = new ByteReader(r.buf, r.pos, r.pos + metaLength);
  r.skip(metaLength);
  const types: number[] = [];
  const meta: number[] = [];
  for (const raw of rawTypes) {
    const { type, value } = readColumnMeta(metaReader, raw);
    types.push(type);
    meta.push(value);
  }
  const nullBits = r.bytes((count + 7) >> 3);
  const nullable = Array.from({ length: count }, (_, i) => bitLsb(nullBits, i));
  const optional = r.remaining > 0 ? decodeOptionalMetadata(r, types, mariaDb) : {};
  return { tableId, database, table, types, meta, nullable, optional };
}

/**
 * Reads one column's metadata. STRING columns carry their real type in the first byte (ENUM and SET
 * are stored as STRING) and, for CHAR columns longer than 255 bytes, two extra length bits folded into
 * that byte (`(byte0 & 0x30) ^ 0x30`), which are unfolded here.
 */
export function readColumnMeta(r: ByteReader, rawType: number): { type: number; value: number } {
  switch (rawType) {
    case ColumnType.FLOAT:
    case ColumnType.DOUBLE:
    case ColumnType.BLOB:
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB:
    case ColumnType.GEOMETRY:
    case ColumnType.JSON:
    case ColumnType.TIMESTAMP2:
    case ColumnType.DATETIME2:
    case ColumnType.TIME2:
    case ColumnType.VECTOR:
      return { type: rawType, value: r.u8() };
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING:
      return { type: rawType, value: r.u16() };
    case ColumnType.BIT: {
      const bits = r.u8();
      const bytes = r.u8();
      return { type: rawType, value: bytes * 8 + bits };
    }
    case ColumnType.NEWDECIMAL: {
      const precision = r.u8();
      const scale = r.u8();
      return { type: rawType, value: (precision << 8) | scale };
    }
    case ColumnType.STRING:
    case ColumnType.ENUM:
    case ColumnType.SET: {
      const byte0 = r.u8();
      const byte1 = r.u8();
      if (byte0 === 0) return { type: rawType, value: byte1 };
      if ((byte0 & 0x30) !== 0x30) return { type: byte0 | 0x30, value: byte1 | (((byte0 & 0x30) ^ 0x30) << 4) };
      return { type: byte0, value: byte1 };
    }
    default:
      return { type: rawType, value: 0 };
  }
}

function decodeOptionalMetadata(r: ByteReader, types: number[], mariaDb: boolean): OptionalMetadata {
  const out: OptionalMetadata = {};
  const count = types.length;
  const numeric = indexesWhere(types, (t) => isNumericType(t) || (mariaDb && t === ColumnType.YEAR));
  const character = indexesWhere(types, (t) => isCharacterType(t) || (mariaDb && t === ColumnType.GEOMETRY));
  const enumSet = indexesWhere(types, isEnumOrSet);
  const setColumns = indexesWhere(types, (t) => t === ColumnType.SET);
  const enumColumns = indexesWhere(types, (t) => t === ColumnType.ENUM);
  const geometry = indexesWhere(types, (t) => t === ColumnType.GEOMETRY);
  const collations = (): Array<number | undefined> => (out.collations ??= new Array<number | undefined>(count).fill(undefined));
  while (r.remaining > 0) {
    const fieldType = r.u8();
    const length = r.lenenc();
    const f = new ByteReader(r.buf, r.pos, r.pos + length);
    r.skip(length);
    switch (fieldType) {
      case SIGNEDNESS: {
        const unsigned = new Array<boolean | undefined>(count).fill(undefined);
        numeric.forEach((column, i) => (unsigned[column] = bitMsb(f.buf, f.pos, i)));
        out.unsigned = unsigned;
        break;
      }
      case DEFAULT_CHARSET:
      case ENUM_AND_SET_DEFAULT_CHARSET: {
        const targets = fieldType === DEFAULT_CHARSET ? character : enumSet;
        const fallback = f.lenenc();
        const c = collations();
        for (const column of targets) c[column] = fallback;
        while (f.remaining > 0) {
          const index = f.lenenc();
          const collation = f.lenenc();
          const column = targets[index];
          if (column !== undefined) c[column] = collation;
        }
        break;
      }
      case COLUMN_CHARSET:
      case ENUM_AND_SET_COLUMN_CHARSET: {
        const targets = fieldType === COLUMN_CHARSET ? character : enumSet;
        const c = collations();
        for (const column of targets) c[column] = f.lenenc();
        break;
      }
      case COLUMN_NAME: {
        const names: string[] = [];
        while (f.remaining > 0) names.push(f.lenencString());
        out.names = names;
        break;
      }
      case SET_STR_VALUE:
      case ENUM_STR_VALUE: {
        const values = new Array<string[] | undefined>(count).fill(undefined);
        for (const column of fieldType === SET_STR_VALUE ? setColumns : enumColumns) {
          const n = f.lenenc();
          // Member names are raw bytes in the column's charset; utf8 decoding is right for the
          // utf8/ascii names nearly every schema uses, and charset-aware decoding is done later when known.
          values[column] = Array.from({ length: n }, () => f.lenencBytes().toString('utf8'));
        }
        if (fieldType === SET_STR_VALUE) out.setValues = values;
        else out.enumValues = values;
        break;
      }
      case GEOMETRY_TYPE: {
        const g = new Array<number | undefined>(count).fill(undefined);
        for (const column of geometry) g[column] = f.lenenc();
        out.geometryTypes = g;
        break;
      }
      case SIMPLE_PRIMARY_KEY: {
        const pk: number[] = [];
        while (f.remaining > 0) pk.push(f.lenenc());
        out.primaryKey = pk;
        break;
      }
      case PRIMARY_KEY_WITH_PREFIX: {
        const pk: number[] = [];
        while (f.remaining > 0) {
          pk.push(f.lenenc());
          f.lenenc(); // prefix length: the key is still the whole column for change-event keys
        }
        out.primaryKey = pk;
        break;
      }
      case COLUMN_VISIBILITY: {
        out.visible = Array.from({ length: count }, (_, i) => bitMsb(f.buf, f.pos, i));
        break;
      }
      default:
        // Unknown optional metadata (a newer server): the TLV framing lets it be skipped safely.
        break;
    }
  }
  return out;
}

function indexesWhere(types: number[], test: (t: number) => boolean): number[] {
  const out: number[] = [];
  types.forEach((t, i) => {
    if (test(t)) out.push(i);
  });
  return out;
}

/** Bit `i` of a little-endian-bit bitmap (null bitmaps, column-present bitmaps). */
export function bitLsb(bits: Buffer, i: number): boolean {
  return (((bits[i >> 3] as number) >> (i & 7)) & 1) === 1;
}

/** Bit `i` of an MSB-first bitmap starting at `offset` (optional metadata bitmaps). */
function bitMsb(buf: Buffer, offset: number, i: number): boolean {
  return (((buf[offset + (i >> 3)] as number) >> (7 - (i & 7))) & 1) === 1;
}
