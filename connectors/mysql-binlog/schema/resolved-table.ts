import type { ColumnCodec } from '../binlog/cell-decoder.ts';
import type { Charsets } from '../binlog/charset.ts';
import { ColumnType, columnTypeName } from '../binlog/column-type.ts';
import type { TableMapEvent } from '../binlog/table-map-event.ts';
import type { ColumnSchema, TableSchema } from './table-schema.ts';

/** Everything the decoders and output formats need about one column at one point in the binlog. */
export interface ResolvedColumn {
  name: string;
  codec: ColumnCodec;
  /** Binlog type (STRING resolved to ENUM/SET/STRING) and its metadata. */
  binlogType: number;
  meta: number;
  /** Lower-case base type: `int`, `varchar`, `decimal`, ... */
  dataType: string;
  /** MySQL's full type text: `int(11) unsigned`, `varchar(20)`, `enum('a','b')`. */
  columnType: string;
  unsigned: boolean;
  nullable: boolean;
  /** Bytes rather than text (BINARY, VARBINARY, BLOB, BIT, GEOMETRY). */
  binary: boolean;
  charset: string | null;
  enumValues?: string[];
  setValues?: string[];
}

export interface ResolvedTable {
  tableId: number;
  database: string;
  table: string;
  columns: ResolvedColumn[];
  /** Column indexes of the primary key, in key order. */
  primaryKey: number[];
}

export class SchemaMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaMismatchError';
  }
}

/**
 * Joins a TABLE_MAP event with what else is known about the table. Names, signedness, character
 * sets, ENUM/SET members and the primary key come from the event's optional metadata when the server
 * logs them (binlog_row_metadata=FULL), otherwise from `schema` (information_schema or the DDL
 * history). `schema` is used only when it matches the event column for column; a schema that does not
 * match where the event has no names is an error, never a guess.
 *
 * @param flavor MariaDB counts YEAR among the numeric columns of SIGNEDNESS and GEOMETRY among the
 *   character columns of the charset fields; this is already applied by the event decoder.
 */
export function resolveTable(map: TableMapEvent, schema: TableSchema | undefined, charsets: Charsets): ResolvedTable {
  const opt = map.optional;
  const count = map.types.length;
  const names = opt.names;
  const usable = schema !== undefined && schema.columns.length === count && schemaMatchesTypes(schema, map);
  if (names === undefined && !usable) {
    const why =
      schema === undefined
        ? 'no schema is known for it'
        : `its known schema has ${schema.columns.length} columns (${schema.columns.map((c) => c.name).join(', ')}) of other types than the ${count} in the binlog (${map.types.map(columnTypeName).join(', ')})`;
    throw new SchemaMismatchError(
      `decoding ${map.database}.${map.table}: the binlog has no column names (binlog_row_metadata is not FULL) and ${why}. Set binlog_row_metadata=FULL on the server, or restart from a snapshot.`,
    );
  }
  const columns: ResolvedColumn[] = [];
  for (let i = 0; i < count; i++) {
    const sc = usable ? schema.columns[i] : undefined;
    const name = names?.[i] ?? (sc as ColumnSchema).name;
    const catalog = sc !== undefined && sc.name === name ? sc : usable ? undefined : schema?.columns.find((c) => c.name === name);
    const binlogType = map.types[i] as number;
    const meta = map.meta[i] as number;
    const collation = opt.collations?.[i];
    let charset: string | null = collation !== undefined ? (charsets.charsetOf(collation) ?? null) : (catalog?.charset ?? null);
    if (collation === undefined && catalog === undefined && isTextual(binlogType)) charset = defaultCharset(binlogType);
    const unsigned = opt.unsigned?.[i] ?? catalog?.unsigned ?? false;
    const enumValues = opt.enumValues?.[i] ?? catalog?.enumValues;
    const setValues = opt.setValues?.[i] ?? catalog?.setValues;
    const binary = charset === 'binary' || binlogType === ColumnType.BIT || binlogType === ColumnType.GEOMETRY;
    const decodeText = binary || charset === null ? (isTextual(binlogType) && !binary ? charsets.decoder('utf8mb4').decode : null) : charsets.decoder(charset).decode;
    const derived = describe(binlogType, meta, unsigned, charset, charsets, enumValues, setValues, opt.geometryTypes?.[i]);
    const column: ResolvedColumn = {
      name,
      codec: { type: binlogType, meta, unsigned, decodeText, ...(enumValues ? { enumValues } : {}), ...(setValues ? { setValues } : {}) },
      binlogType,
      meta,
      dataType: catalog?.dataType ?? derived.dataType,
      columnType: catalog?.columnType ?? derived.columnType,
      unsigned,
      nullable: map.nullable[i] ?? true,
      binary,
      charset,
      ...(enumValues ? { enumValues } : {}),
      ...(setValues ? { setValues } : {}),
    };
    columns.push(column);
  }
  let primaryKey = opt.primaryKey;
  if (primaryKey === undefined && schema !== undefined) {
    primaryKey = schema.primaryKey.map((n) => columns.findIndex((c) => c.name === n)).filter((i) => i >= 0);
    if (primaryKey.length !== schema.primaryKey.length) primaryKey = [];
  }
  return { tableId: map.tableId, database: map.database, table: map.table, columns, primaryKey: primaryKey ?? [] };
}

function isTextual(t: number): boolean {
  return t === ColumnType.VARCHAR || t === ColumnType.VAR_STRING || t === ColumnType.STRING || t === ColumnType.BLOB || t === ColumnType.ENUM || t === ColumnType.SET;
}

/** Without metadata or catalog, character data is assumed utf8mb4 (lossless for any UTF-8 text). */
function defaultCharset(_t: number): string {
  return 'utf8mb4';
}

/** Which catalog base types each binlog type can carry; used to reject a stale schema. */
const COMPATIBLE: Record<number, readonly string[]> = {
  [ColumnType.TINY]: ['tinyint', 'bool', 'boolean'],
  [ColumnType.SHORT]: ['smallint'],
  [ColumnType.INT24]: ['mediumint'],
  [ColumnType.LONG]: ['int', 'integer'],
  [ColumnType.LONGLONG]: ['bigint'],
  [ColumnType.FLOAT]: ['float'],
  [ColumnType.DOUBLE]: ['double', 'real', 'double precision'],
  [ColumnType.NEWDECIMAL]: ['decimal', 'numeric'],
  [ColumnType.YEAR]: ['year'],
  [ColumnType.DATE]: ['date'],
  [ColumnType.NEWDATE]: ['date'],
  [ColumnType.TIME]: ['time'],
  [ColumnType.TIME2]: ['time'],
  [ColumnType.DATETIME]: ['datetime'],
  [ColumnType.DATETIME2]: ['datetime'],
  [ColumnType.TIMESTAMP]: ['timestamp'],
  [ColumnType.TIMESTAMP2]: ['timestamp'],
  [ColumnType.VARCHAR]: ['varchar', 'varbinary', 'inet6', 'inet4', 'uuid'],
  [ColumnType.VAR_STRING]: ['varchar', 'varbinary'],
  [ColumnType.STRING]: ['char', 'binary', 'inet6', 'inet4', 'uuid'],
  [ColumnType.ENUM]: ['enum'],
  [ColumnType.SET]: ['set'],
  [ColumnType.BIT]: ['bit'],
  [ColumnType.BLOB]: ['tinyblob', 'blob', 'mediumblob', 'longblob', 'tinytext', 'text', 'mediumtext', 'longtext', 'json'],
  [ColumnType.JSON]: ['json'],
  [ColumnType.GEOMETRY]: ['geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection', 'geomcollection'],
};

export function schemaMatchesTypes(schema: TableSchema, map: TableMapEvent): boolean {
  return schema.columns.every((c, i) => {
    const allowed = COMPATIBLE[map.types[i] as number];
    return allowed === undefined || allowed.includes(c.dataType);
  });
}

const GEOMETRY_NAMES = ['geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection'];

/** A column's type text derived from the binlog alone (MySQL 8 style: no display widths). */
function describe(
  t: number,
  meta: number,
  unsigned: boolean,
  charset: string | null,
  charsets: Charsets,
  enumValues: string[] | undefined,
  setValues: string[] | undefined,
  geometryType: number | undefined,
): { dataType: string; columnType: string } {
  const u = unsigned ? ' unsigned' : '';
  const chars = (bytes: number): number => Math.max(0, Math.floor(bytes / charsets.maxBytesPerChar(charset ?? 'binary')));
  const quoteList = (v: string[]): string => v.map((s) => `'${s.replace(/'/g, "''")}'`).join(',');
  const simple = (name: string, extra = ''): { dataType: string; columnType: string } => ({ dataType: name, columnType: `${name}${extra}` });
  switch (t) {
    case ColumnType.TINY:
      return simple('tinyint', u);
    case ColumnType.SHORT:
      return simple('smallint', u);
    case ColumnType.INT24:
      return simple('mediumint', u);
    case ColumnType.LONG:
      return simple('int', u);
    case ColumnType.LONGLONG:
      return simple('bigint', u);
    case ColumnType.FLOAT:
      return simple('float', u);
    case ColumnType.DOUBLE:
      return simple('double', u);
    case ColumnType.NEWDECIMAL:
      return { dataType: 'decimal', columnType: `decimal(${meta >> 8},${meta & 0xff})${u}` };
    case ColumnType.YEAR:
      return simple('year');
    case ColumnType.DATE:
    case ColumnType.NEWDATE:
      return simple('date');
    case ColumnType.TIME:
    case ColumnType.TIME2:
      return simple('time', meta > 0 ? `(${meta})` : '');
    case ColumnType.DATETIME:
    case ColumnType.DATETIME2:
      return simple('datetime', meta > 0 ? `(${meta})` : '');
    case ColumnType.TIMESTAMP:
    case ColumnType.TIMESTAMP2:
      return simple('timestamp', meta > 0 ? `(${meta})` : '');
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING:
      return charset === 'binary' ? simple('varbinary', `(${meta})`) : simple('varchar', `(${chars(meta)})`);
    case ColumnType.STRING:
      return charset === 'binary' ? simple('binary', `(${meta})`) : simple('char', `(${chars(meta)})`);
    case ColumnType.ENUM:
      return simple('enum', enumValues ? `(${quoteList(enumValues)})` : '');
    case ColumnType.SET:
      return simple('set', setValues ? `(${quoteList(setValues)})` : '');
    case ColumnType.BIT:
      return simple('bit', `(${meta})`);
    case ColumnType.JSON:
      return simple('json');
    case ColumnType.BLOB: {
      const prefix = ['tiny', '', 'medium', 'long'][meta - 1] ?? '';
      return simple(`${prefix}${charset === 'binary' ? 'blob' : 'text'}`);
    }
    case ColumnType.GEOMETRY:
      return simple(GEOMETRY_NAMES[geometryType ?? 0] ?? 'geometry');
    default:
      return simple(columnTypeName(t).toLowerCase());
  }
}
