import type { CellValue } from '../binlog/cell-decoder.ts';
import type { Charsets } from '../binlog/charset.ts';
import { ColumnType } from '../binlog/column-type.ts';
import type { TableMapEvent } from '../binlog/table-map-event.ts';
import { resolveTable, type ResolvedColumn, type ResolvedTable } from '../schema/resolved-table.ts';
import type { ColumnSchema, TableSchema } from '../schema/table-schema.ts';

/**
 * A ResolvedTable for rows read with SELECT (the snapshot), built from the catalog: the binlog type
 * and metadata each column would have in a TABLE_MAP, so snapshot rows go through the same output
 * code as binlog rows and look the same.
 */
export function resolveFromCatalog(schema: TableSchema, charsets: Charsets): ResolvedTable {
  const types: number[] = [];
  const meta: number[] = [];
  for (const c of schema.columns) {
    const [t, m] = binlogTypeOf(c, charsets);
    types.push(t);
    meta.push(m);
  }
  const map: TableMapEvent = {
    tableId: 0,
    database: schema.database,
    table: schema.table,
    types,
    meta,
    nullable: schema.columns.map((c) => c.nullable),
    optional: {},
  };
  return resolveTable(map, schema, charsets);
}

function params(columnType: string): number[] {
  const m = /\(([^)]*)\)/.exec(columnType);
  return m ? (m[1] as string).split(',').map((s) => Number(s.trim())) : [];
}

function binlogTypeOf(c: ColumnSchema, charsets: Charsets): [number, number] {
  const p = params(c.columnType);
  const mb = charsets.maxBytesPerChar(c.charset ?? 'binary');
  switch (c.dataType) {
    case 'tinyint':
    case 'bool':
    case 'boolean':
      return [ColumnType.TINY, 0];
    case 'smallint':
      return [ColumnType.SHORT, 0];
    case 'mediumint':
      return [ColumnType.INT24, 0];
    case 'int':
    case 'integer':
      return [ColumnType.LONG, 0];
    case 'bigint':
      return [ColumnType.LONGLONG, 0];
    case 'float':
      return [ColumnType.FLOAT, 4];
    case 'double':
    case 'real':
    case 'double precision':
      return [ColumnType.DOUBLE, 8];
    case 'decimal':
    case 'numeric':
      return [ColumnType.NEWDECIMAL, ((p[0] ?? 10) << 8) | (p[1] ?? 0)];
    case 'year':
      return [ColumnType.YEAR, 0];
    case 'date':
      return [ColumnType.DATE, 0];
    case 'time':
      return [ColumnType.TIME2, p[0] ?? 0];
    case 'datetime':
      return [ColumnType.DATETIME2, p[0] ?? 0];
    case 'timestamp':
      return [ColumnType.TIMESTAMP2, p[0] ?? 0];
    case 'char':
      return [ColumnType.STRING, (p[0] ?? 1) * mb];
    case 'binary':
      return [ColumnType.STRING, p[0] ?? 1];
    case 'varchar':
      return [ColumnType.VARCHAR, (p[0] ?? 255) * mb];
    case 'varbinary':
      return [ColumnType.VARCHAR, p[0] ?? 255];
    case 'enum':
      return [ColumnType.ENUM, (c.enumValues?.length ?? 0) > 255 ? 2 : 1];
    case 'set':
      return [ColumnType.SET, Math.max(1, Math.ceil((c.setValues?.length ?? 1) / 8))];
    case 'bit':
      return [ColumnType.BIT, p[0] ?? 1];
    case 'tinytext':
    case 'tinyblob':
      return [ColumnType.BLOB, 1];
    case 'text':
    case 'blob':
      return [ColumnType.BLOB, 2];
    case 'mediumtext':
    case 'mediumblob':
      return [ColumnType.BLOB, 3];
    case 'longtext':
    case 'longblob':
      return [ColumnType.BLOB, 4];
    case 'json':
      return [ColumnType.JSON, 4];
    case 'geometry':
    case 'point':
    case 'linestring':
    case 'polygon':
    case 'multipoint':
    case 'multilinestring':
    case 'multipolygon':
    case 'geometrycollection':
    case 'geomcollection':
      return [ColumnType.GEOMETRY, 4];
    default:
      // Types without a binlog twin here (MariaDB INET6/UUID...) travel as text.
      return [ColumnType.VARCHAR, 65535];
  }
}

/**
 * A SELECTed value (raw bytes as the server sent them in the text protocol, with the connection in
 * utf8mb4 and time_zone +00:00) as the same CellValue the binlog decoder produces for that column.
 * FLOAT prints as the shortest text that identifies the single-precision value, so Math.fround of it
 * is that value exactly.
 */
export function cellFromText(col: ResolvedColumn, raw: Buffer | null): CellValue {
  if (raw === null) return null;
  if (col.binary || col.binlogType === ColumnType.BIT || col.binlogType === ColumnType.GEOMETRY) return raw;
  const text = raw.toString('utf8');
  switch (col.binlogType) {
    case ColumnType.TINY:
    case ColumnType.SHORT:
    case ColumnType.INT24:
    case ColumnType.LONG:
    case ColumnType.YEAR:
      return Number(text);
    case ColumnType.LONGLONG:
      return BigInt(text);
    case ColumnType.FLOAT:
      return Math.fround(Number(text));
    case ColumnType.DOUBLE:
      return Number(text);
    default:
      return text;
  }
}
