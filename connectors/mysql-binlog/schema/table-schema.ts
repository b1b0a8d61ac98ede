/**
 * A table's columns as the catalog describes them (information_schema, or the DDL history). Column
 * order is the table's order, which is also the order of values in binlog row images.
 */
export interface ColumnSchema {
  name: string;
  /** Lower-case base type: `int`, `varchar`, `decimal`, `enum`, `json`, ... */
  dataType: string;
  /** The full type as `information_schema.COLUMNS.COLUMN_TYPE` prints it: `int(10) unsigned`, `enum('a','b')`. */
  columnType: string;
  nullable: boolean;
  unsigned: boolean;
  /** Character set of character, ENUM and SET columns (`binary` for BINARY/VARBINARY/BLOB); null otherwise. */
  charset: string | null;
  enumValues?: string[];
  setValues?: string[];
}

export interface TableSchema {
  database: string;
  table: string;
  columns: ColumnSchema[];
  /** Primary key column names in key order; empty when the table has none. */
  primaryKey: string[];
  /** The table's default character set (for columns added later without one); null when unknown. */
  charset?: string | null;
}

export function tableKey(database: string, table: string): string {
  return `${database}.${table}`;
}

/** The quoted members of an `enum(...)`/`set(...)` column type, with '' and \\ escapes undone. */
export function parseTypeMembers(columnType: string): string[] {
  const open = columnType.indexOf('(');
  const close = columnType.lastIndexOf(')');
  if (open < 0 || close < open) return [];
  const body = columnType.slice(open + 1, close);
  const members: string[] = [];
  let i = 0;
  while (i < body.length) {
    const quote = body[i];
    if (quote !== "'" && quote !== '"') {
      i++;
      continue;
    }
    let s = '';
    i++;
    while (i < body.length) {
      const ch = body[i] as string;
      if (ch === '\\' && i + 1 < body.length) {
        s += body[i + 1];
        i += 2;
      } else if (ch === quote && body[i + 1] === quote) {
        s += quote;
        i += 2;
      } else if (ch === quote) {
        i++;
        break;
      } else {
        s += ch;
        i++;
      }
    }
    members.push(s);
  }
  return members;
}
