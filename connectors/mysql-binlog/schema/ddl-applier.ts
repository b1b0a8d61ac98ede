import { tokenize } from './ddl.ts';
import { parseTypeMembers, type ColumnSchema, type TableSchema } from './table-schema.ts';

/**
 * Applies CREATE TABLE and ALTER TABLE statements to a table schema, so the schema history follows
 * the binlog position instead of the server's current catalog. It understands what changes how rows
 * decode: columns added, dropped, modified, changed or renamed (with FIRST/AFTER), the primary key,
 * and the character set of new text columns. Index, constraint, default and table-option clauses are
 * recognised and ignored. Anything else returns `undefined`: the caller then falls back to the catalog.
 */
type Token = { text: string; quoted: boolean };

class Cursor {
  constructor(
    readonly t: Token[],
    public p = 0,
  ) {}

  peek(k = 0): Token | undefined {
    return this.t[this.p + k];
  }

  kw(k = 0): string {
    const tok = this.t[this.p + k];
    return tok !== undefined && !tok.quoted ? tok.text.toUpperCase() : '';
  }

  accept(...words: string[]): boolean {
    if (words.includes(this.kw())) {
      this.p++;
      return true;
    }
    return false;
  }

  punct(ch: string): boolean {
    const tok = this.peek();
    if (tok !== undefined && !tok.quoted && tok.text === ch) {
      this.p++;
      return true;
    }
    return false;
  }

  name(): string | undefined {
    const tok = this.peek();
    if (tok === undefined || (!tok.quoted && /^[(),;=.]$/.test(tok.text))) return undefined;
    this.p++;
    return tok.text;
  }

  get done(): boolean {
    return this.p >= this.t.length;
  }

  /** Skips to the next top-level `,` (not consumed) or the end; parentheses nest. */
  skipClause(): void {
    let depth = 0;
    while (!this.done) {
      const tok = this.peek() as Token;
      if (!tok.quoted) {
        if (tok.text === '(') depth++;
        else if (tok.text === ')') {
          if (depth === 0) return;
          depth--;
        } else if (tok.text === ',' && depth === 0) return;
      }
      this.p++;
    }
  }

  /** The raw text of a parenthesised group starting here, e.g. `('a','b')` or `(10,2)`, consumed. */
  group(): string {
    if (!this.punct('(')) return '';
    const parts: string[] = [];
    let depth = 1;
    while (!this.done && depth > 0) {
      const tok = this.peek() as Token;
      this.p++;
      if (!tok.quoted && tok.text === '(') depth++;
      if (!tok.quoted && tok.text === ')') depth--;
      if (depth > 0) parts.push(tok.quoted ? `'${tok.text.replace(/'/g, "''")}'` : tok.text);
    }
    return `(${parts.join('')})`;
  }
}

const TYPE_ALIASES: Record<string, string> = {
  INTEGER: 'int',
  INT4: 'int',
  INT8: 'bigint',
  INT1: 'tinyint',
  INT2: 'smallint',
  INT3: 'mediumint',
  MIDDLEINT: 'mediumint',
  BOOL: 'tinyint',
  BOOLEAN: 'tinyint',
  DEC: 'decimal',
  NUMERIC: 'decimal',
  FIXED: 'decimal',
  REAL: 'double',
  FLOAT4: 'float',
  FLOAT8: 'double',
  CHARACTER: 'char',
  NCHAR: 'char',
  NVARCHAR: 'varchar',
};

const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set']);
const CLAUSE_STARTS = new Set(['PRIMARY', 'KEY', 'INDEX', 'UNIQUE', 'FULLTEXT', 'SPATIAL', 'CONSTRAINT', 'FOREIGN', 'CHECK', 'PERIOD', 'SYSTEM']);

interface ParsedColumn {
  column: ColumnSchema;
  primaryKey: boolean;
}

/** `CHARACTER SET x` or a collation name (its charset is the part before the first `_`). */
function charsetOfCollation(collation: string): string {
  const cs = collation.toLowerCase().split('_')[0] ?? collation;
  return cs === 'utf8' ? 'utf8mb3' : cs;
}

function parseColumn(c: Cursor, name: string, tableCharset: string | null): ParsedColumn | undefined {
  let word = c.kw();
  if (word === '') return undefined;
  c.p++;
  if (word === 'DOUBLE' && c.kw() === 'PRECISION') c.p++;
  if ((word === 'CHARACTER' || word === 'CHAR' || word === 'NATIONAL') && c.kw() === 'VARYING') {
    c.p++;
    word = 'VARCHAR';
  }
  if (word === 'NATIONAL') {
    word = c.kw();
    c.p++;
  }
  if (word === 'LONG' && (c.kw() === 'VARCHAR' || c.kw() === 'VARBINARY')) {
    word = c.kw() === 'VARCHAR' ? 'MEDIUMTEXT' : 'MEDIUMBLOB';
    c.p++;
  }
  let dataType = TYPE_ALIASES[word] ?? word.toLowerCase();
  let unsigned = false;
  let nullable = true;
  let primaryKey = false;
  let charset: string | null = null;
  if (word === 'SERIAL') {
    dataType = 'bigint';
    unsigned = true;
    nullable = false;
  }
  if (word === 'JSON') {
    // MariaDB: an alias of LONGTEXT with a JSON_VALID check; MySQL has a real JSON type.
    dataType = 'json';
  }
  const params = c.peek()?.text === '(' && !c.peek()?.quoted ? c.group() : '';
  let extra = '';
  for (;;) {
    if (c.done || c.peek()?.text === ',' || c.peek()?.text === ')') break;
    const k = c.kw();
    if (k === 'UNSIGNED') {
      unsigned = true;
      c.p++;
    } else if (k === 'SIGNED') c.p++;
    else if (k === 'ZEROFILL') {
      unsigned = true;
      extra += ' zerofill';
      c.p++;
    } else if (k === 'CHARACTER' && c.kw(1) === 'SET') {
      c.p += 2;
      charset = charsetOfCollation(c.name() ?? '');
    } else if (k === 'CHARSET') {
      c.p++;
      charset = charsetOfCollation(c.name() ?? '');
    } else if (k === 'COLLATE') {
      c.p++;
      const collation = c.name() ?? '';
      if (charset === null) charset = charsetOfCollation(collation);
    } else if (k === 'NOT' && c.kw(1) === 'NULL') {
      nullable = false;
      c.p += 2;
    } else if (k === 'NULL') c.p++;
    else if (k === 'PRIMARY' && c.kw(1) === 'KEY') {
      primaryKey = true;
      nullable = false;
      c.p += 2;
    } else if (k === 'FIRST' || (k === 'AFTER' && c.peek(1) !== undefined)) break;
    else if (c.peek()?.text === '(' && !c.peek()?.quoted) c.group();
    else c.p++;
  }
  if (BINARY_TYPES.has(dataType)) charset = 'binary';
  else if (TEXT_TYPES.has(dataType) && charset === null) charset = tableCharset ?? 'utf8mb4';
  else if (!TEXT_TYPES.has(dataType) && dataType !== 'json') charset = null;
  const columnType = `${dataType}${params}${unsigned ? ' unsigned' : ''}${extra}`;
  const column: ColumnSchema = { name, dataType, columnType, nullable, unsigned, charset };
  if (dataType === 'enum') column.enumValues = parseTypeMembers(params);
  if (dataType === 'set') column.setValues = parseTypeMembers(params);
  return { column, primaryKey };
}

/** `FIRST` / `AFTER col`, consumed; undefined when absent. */
function placement(c: Cursor): { first: true } | { after: string } | undefined {
  if (c.accept('FIRST')) return { first: true };
  if (c.accept('AFTER')) {
    const after = c.name();
    return after === undefined ? undefined : { after };
  }
  return undefined;
}

function place(columns: ColumnSchema[], column: ColumnSchema, where: ReturnType<typeof placement>, replaceIndex?: number): boolean {
  if (replaceIndex !== undefined && where === undefined) {
    columns[replaceIndex] = column;
    return true;
  }
  if (replaceIndex !== undefined) columns.splice(replaceIndex, 1);
  if (where === undefined) columns.push(column);
  else if ('first' in where) columns.unshift(column);
  else {
    const i = columns.findIndex((x) => x.name.toLowerCase() === where.after.toLowerCase());
    if (i < 0) return false;
    columns.splice(i + 1, 0, column);
  }
  return true;
}

function keyColumns(c: Cursor): string[] | undefined {
  if (!c.punct('(')) return undefined;
  const names: string[] = [];
  for (;;) {
    const n = c.name();
    if (n === undefined) return undefined;
    names.push(n);
    if (c.peek()?.text === '(') c.group(); // prefix length
    c.accept('ASC', 'DESC');
    if (c.punct(',')) continue;
    if (c.punct(')')) return names;
    return undefined;
  }
}

function findIndex(columns: ColumnSchema[], name: string): number {
  return columns.findIndex((x) => x.name.toLowerCase() === name.toLowerCase());
}

/** CREATE TABLE name (definitions) [options]: the new table's schema, or undefined if not understood. */
export function applyCreateTable(sql: string, database: string, table: string): TableSchema | undefined {
  const c = new Cursor(tokenize(sql, Infinity));
  while (!c.done && !(c.peek()?.text === '(' && !c.peek()?.quoted)) {
    if (c.kw() === 'LIKE' || c.kw() === 'SELECT' || c.kw() === 'AS') return undefined;
    c.p++;
  }
  if (!c.punct('(')) return undefined;
  const bodyStart = c.p;
  // Table options come after the closing parenthesis; read DEFAULT CHARSET first, new columns need it.
  let depth = 1;
  let q = c.p;
  while (q < c.t.length && depth > 0) {
    const tok = c.t[q] as Token;
    if (!tok.quoted && tok.text === '(') depth++;
    if (!tok.quoted && tok.text === ')') depth--;
    q++;
  }
  const options = new Cursor(c.t, q);
  let tableCharset: string | null = null;
  while (!options.done) {
    const k = options.kw();
    if (k === 'CHARSET' || (k === 'CHARACTER' && options.kw(1) === 'SET')) {
      options.p += k === 'CHARSET' ? 1 : 2;
      options.punct('=');
      tableCharset = charsetOfCollation(options.name() ?? '');
    } else if (k === 'COLLATE' && tableCharset === null) {
      options.p++;
      options.punct('=');
      tableCharset = charsetOfCollation(options.name() ?? '');
    } else options.p++;
  }
  c.p = bodyStart;
  const schema: TableSchema = { database, table, columns: [], primaryKey: [], charset: tableCharset };
  for (;;) {
    if (CLAUSE_STARTS.has(c.kw())) {
      if (c.kw() === 'PRIMARY' && c.kw(1) === 'KEY') {
        c.p += 2;
        if (c.kw() === 'USING') c.p += 2;
        const cols = keyColumns(c);
        if (cols === undefined) return undefined;
        schema.primaryKey = cols;
      } else if (c.kw() === 'CONSTRAINT' && c.kw(2) === 'PRIMARY') {
        c.p += 4;
        const cols = keyColumns(c);
        if (cols === undefined) return undefined;
        schema.primaryKey = cols;
      }
      c.skipClause();
    } else {
      const name = c.name();
      if (name === undefined) return undefined;
      const parsed = parseColumn(c, name, tableCharset);
      if (parsed === undefined) return undefined;
      schema.columns.push(parsed.column);
      if (parsed.primaryKey) schema.primaryKey = [name];
      c.skipClause();
    }
    if (c.punct(',')) continue;
    if (c.punct(')')) break;
    return undefined;
  }
  return schema.columns.length > 0 ? normalizeKey(schema) : undefined;
}

/** ALTER TABLE name spec[, spec]: `schema` changed accordingly, or undefined if not understood. */
export function applyAlterTable(sql: string, schema: TableSchema): TableSchema | undefined {
  const c = new Cursor(tokenize(sql, Infinity));
  // ALTER [ONLINE] [IGNORE] TABLE [IF EXISTS] name
  while (!c.done && c.kw() !== 'TABLE') c.p++;
  c.p++;
  if (c.kw() === 'IF') c.p += 2;
  c.name();
  if (c.punct('.')) c.name();
  const columns = schema.columns.map((x) => ({ ...x }));
  let primaryKey = [...schema.primaryKey];
  const tableCharset = schema.charset ?? null;
  if (c.done) return schema;
  for (;;) {
    const k = c.kw();
    if (k === 'ADD') {
      c.p++;
      if (c.kw() === 'PRIMARY' && c.kw(1) === 'KEY') {
        c.p += 2;
        if (c.kw() === 'USING') c.p += 2;
        const cols = keyColumns(c);
        if (cols === undefined) return undefined;
        primaryKey = cols;
        c.skipClause();
      } else if (c.kw() === 'CONSTRAINT' && c.kw(2) === 'PRIMARY') {
        c.p += 4;
        const cols = keyColumns(c);
        if (cols === undefined) return undefined;
        primaryKey = cols;
        c.skipClause();
      } else if (CLAUSE_STARTS.has(c.kw())) {
        c.skipClause();
      } else {
        c.accept('COLUMN');
        if (c.kw() === 'IF' && c.kw(1) === 'NOT') c.p += 3;
        if (c.punct('(')) {
          for (;;) {
            const name = c.name();
            if (name === undefined) return undefined;
            const parsed = parseColumn(c, name, tableCharset);
            if (parsed === undefined) return undefined;
            if (findIndex(columns, name) < 0) columns.push(parsed.column);
            if (parsed.primaryKey) primaryKey = [name];
            c.skipClause();
            if (c.punct(',')) continue;
            if (c.punct(')')) break;
            return undefined;
          }
        } else {
          const name = c.name();
          if (name === undefined) return undefined;
          const parsed = parseColumn(c, name, tableCharset);
          if (parsed === undefined) return undefined;
          const where = placement(c);
          if (findIndex(columns, name) < 0 && !place(columns, parsed.column, where)) return undefined;
          if (parsed.primaryKey) primaryKey = [name];
          c.skipClause();
        }
      }
    } else if (k === 'DROP') {
      c.p++;
      if (c.kw() === 'PRIMARY' && c.kw(1) === 'KEY') {
        primaryKey = [];
        c.skipClause();
      } else if (['INDEX', 'KEY', 'FOREIGN', 'CONSTRAINT', 'CHECK', 'PARTITION', 'SYSTEM', 'PERIOD'].includes(c.kw())) {
        c.skipClause();
      } else {
        c.accept('COLUMN');
        if (c.kw() === 'IF' && c.kw(1) === 'EXISTS') c.p += 2;
        const name = c.name();
        if (name === undefined) return undefined;
        const i = findIndex(columns, name);
        if (i >= 0) columns.splice(i, 1);
        primaryKey = primaryKey.filter((p) => p.toLowerCase() !== name.toLowerCase());
        c.skipClause();
      }
    } else if (k === 'MODIFY' || k === 'CHANGE') {
      c.p++;
      c.accept('COLUMN');
      if (c.kw() === 'IF' && c.kw(1) === 'EXISTS') c.p += 2;
      const old = c.name();
      const name = k === 'CHANGE' ? c.name() : old;
      if (old === undefined || name === undefined) return undefined;
      const parsed = parseColumn(c, name, tableCharset);
      if (parsed === undefined) return undefined;
      const where = placement(c);
      const i = findIndex(columns, old);
      if (i < 0) return undefined;
      if (!place(columns, parsed.column, where, i)) return undefined;
      primaryKey = primaryKey.map((p) => (p.toLowerCase() === old.toLowerCase() ? name : p));
      if (parsed.primaryKey) primaryKey = [name];
      c.skipClause();
    } else if (k === 'RENAME' && (c.kw(1) === 'COLUMN' || c.kw(1) === 'INDEX' || c.kw(1) === 'KEY')) {
      const what = c.kw(1);
      c.p += 2;
      const old = c.name();
      if (!c.accept('TO')) return undefined;
      const name = c.name();
      if (old === undefined || name === undefined) return undefined;
      if (what === 'COLUMN') {
        const i = findIndex(columns, old);
        if (i < 0) return undefined;
        columns[i] = { ...(columns[i] as ColumnSchema), name };
        primaryKey = primaryKey.map((p) => (p.toLowerCase() === old.toLowerCase() ? name : p));
      }
      c.skipClause();
    } else if (k === 'RENAME') {
      // ALTER TABLE a RENAME TO b: the caller moves the schema; columns are unchanged.
      c.skipClause();
    } else if (k === 'CONVERT' || k === 'PARTITION' || k === 'EXCHANGE' || k === 'IMPORT' || k === 'DISCARD') {
      return undefined;
    } else if (k === 'DEFAULT' || k === 'CHARACTER' || k === 'CHARSET' || k === 'COLLATE') {
      // A new table default charset applies to columns added later.
      let p = c.p;
      while (p < c.t.length && !['CHARSET', 'SET', 'COLLATE'].includes((c.t[p] as Token).text.toUpperCase())) p++;
      const v = c.t[p + 1]?.text === '=' ? c.t[p + 2] : c.t[p + 1];
      if (v !== undefined) schema = { ...schema, charset: charsetOfCollation(v.text) };
      c.skipClause();
    } else if (['ALTER', 'ENGINE', 'AUTO_INCREMENT', 'COMMENT', 'ALGORITHM', 'LOCK', 'FORCE', 'ROW_FORMAT', 'KEY_BLOCK_SIZE', 'ORDER', 'ENABLE', 'DISABLE', 'STATS_PERSISTENT', 'STATS_AUTO_RECALC', 'STATS_SAMPLE_PAGES', 'PAGE_CHECKSUM', 'TRANSACTIONAL', 'CHECKSUM', 'PACK_KEYS', 'MAX_ROWS', 'MIN_ROWS', 'AVG_ROW_LENGTH', 'ENCRYPTED', 'ENCRYPTION_KEY_ID', 'WAIT', 'NOWAIT'].includes(k)) {
      c.skipClause();
    } else if (c.done) {
      break;
    } else {
      return undefined;
    }
    if (c.punct(',')) continue;
    if (c.done || c.punct(';')) break;
    return undefined;
  }
  return normalizeKey({ ...schema, columns, primaryKey });
}

/** Primary key names spelled as the columns are (identifiers are case-insensitive). */
function normalizeKey(schema: TableSchema): TableSchema {
  return { ...schema, primaryKey: schema.primaryKey.map((p) => schema.columns.find((x) => x.name.toLowerCase() === p.toLowerCase())?.name ?? p) };
}
