/**
 * Recognises the statements in QUERY events: transaction control (BEGIN, COMMIT, ...), DDL on tables
 * (with the tables it touches and Canal's event type name), and everything else. This is a tokenizer,
 * not a SQL parser: it reads only as far as the statement kind and the table names.
 */
export type DdlType = 'CREATE' | 'ALTER' | 'ERASE' | 'RENAME' | 'TRUNCATE' | 'CINDEX' | 'DINDEX' | 'QUERY';

export interface TableRef {
  database: string;
  table: string;
}

export type StatementKind =
  | { kind: 'begin' }
  | { kind: 'commit' }
  | { kind: 'rollback' }
  /** DDL on tables (`tables` in statement order; RENAME lists old then new of each pair). */
  | { kind: 'ddl'; type: DdlType; tables: TableRef[]; database: string }
  /** CREATE/ALTER/DROP DATABASE. */
  | { kind: 'database-ddl'; type: DdlType; database: string }
  | { kind: 'other' };

type Token = { text: string; quoted: boolean };

/** Splits into identifiers/keywords (backticks undone), strings, and punctuation; comments dropped. */
export function tokenize(sql: string, limit = 64): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length && out.length < limit) {
    const ch = sql[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '/' && sql[i + 1] === '*') {
      // Executable comments (/*!50100 ... */, /*M! ... */) are kept: their content is real SQL.
      const end = sql.indexOf('*/', i + 2);
      const body = sql.slice(i + 2, end < 0 ? sql.length : end);
      const m = /^(?:!|M!)\d*/.exec(body);
      if (m !== null) out.push(...tokenize(body.slice(m[0].length), limit - out.length));
      i = end < 0 ? sql.length : end + 2;
    } else if ((ch === '-' && sql[i + 1] === '-' && /\s/.test(sql[i + 2] ?? ' ')) || ch === '#') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (ch === '`' || ch === '"' || ch === "'") {
      let s = '';
      i++;
      while (i < sql.length) {
        const c = sql[i] as string;
        if (c === ch && sql[i + 1] === ch) {
          s += ch;
          i += 2;
        } else if (c === ch) {
          i++;
          break;
        } else if (c === '\\' && ch !== '`') {
          s += sql[i + 1] ?? '';
          i += 2;
        } else {
          s += c;
          i++;
        }
      }
      out.push({ text: s, quoted: true });
    } else if (/[A-Za-z0-9_$\u0080-\uffff]/.test(ch)) {
      let j = i;
      while (j < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j] as string)) j++;
      out.push({ text: sql.slice(i, j), quoted: false });
      i = j;
    } else {
      out.push({ text: ch, quoted: false });
      i++;
    }
  }
  return out;
}

export function classifyStatement(sql: string, defaultDatabase: string): StatementKind {
  const t = tokenize(sql);
  let p = 0;
  const kw = (k: number = p): string => (t[k] !== undefined && !t[k].quoted ? t[k].text.toUpperCase() : '');
  const accept = (...words: string[]): boolean => {
    if (words.includes(kw())) {
      p++;
      return true;
    }
    return false;
  };
  const ifExists = (): void => {
    if (kw() === 'IF') p += kw(p + 1) === 'NOT' ? 3 : 2;
  };
  const tableRef = (): TableRef | undefined => {
    const first = t[p];
    if (first === undefined) return undefined;
    p++;
    if (t[p]?.text === '.' && !t[p]?.quoted && t[p + 1] !== undefined) {
      const table = (t[p + 1] as Token).text;
      p += 2;
      return { database: first.text, table };
    }
    return { database: defaultDatabase, table: first.text };
  };
  const tableList = (): TableRef[] => {
    const refs: TableRef[] = [];
    for (;;) {
      const ref = tableRef();
      if (ref === undefined) break;
      refs.push(ref);
      if (t[p]?.text !== ',') break;
      p++;
    }
    return refs;
  };

  const first = kw();
  if (first === 'BEGIN' || (first === 'START' && kw(1) === 'TRANSACTION') || (first === 'XA' && kw(1) === 'START')) return { kind: 'begin' };
  if (first === 'COMMIT' || (first === 'XA' && kw(1) === 'COMMIT')) return { kind: 'commit' };
  if (first === 'ROLLBACK' || (first === 'XA' && kw(1) === 'ROLLBACK')) return { kind: 'rollback' };
  p++;
  if (first === 'CREATE') {
    if (accept('OR')) accept('REPLACE');
    accept('TEMPORARY');
    if (accept('DATABASE', 'SCHEMA')) {
      ifExists();
      return { kind: 'database-ddl', type: 'CREATE', database: t[p]?.text ?? defaultDatabase };
    }
    if (accept('TABLE')) {
      ifExists();
      const ref = tableRef();
      return ref ? { kind: 'ddl', type: 'CREATE', tables: [ref], database: defaultDatabase } : { kind: 'other' };
    }
    accept('ONLINE', 'OFFLINE');
    accept('UNIQUE', 'FULLTEXT', 'SPATIAL');
    if (accept('INDEX')) {
      while (p < t.length && kw() !== 'ON') p++;
      p++;
      const ref = tableRef();
      return ref ? { kind: 'ddl', type: 'CINDEX', tables: [ref], database: defaultDatabase } : { kind: 'other' };
    }
    return { kind: 'other' };
  }
  if (first === 'ALTER') {
    accept('ONLINE', 'OFFLINE');
    accept('IGNORE');
    if (accept('DATABASE', 'SCHEMA')) return { kind: 'database-ddl', type: 'ALTER', database: t[p]?.text ?? defaultDatabase };
    if (accept('TABLE')) {
      ifExists();
      const ref = tableRef();
      if (ref === undefined) return { kind: 'other' };
      const tables = [ref];
      // ALTER TABLE a RENAME [TO|AS] b renames too; report both, like RENAME TABLE.
      for (let k = p; k < t.length; k++) {
        if (kw(k) === 'RENAME' && !['COLUMN', 'INDEX', 'KEY'].includes(kw(k + 1))) {
          p = k + 1;
          accept('TO', 'AS');
          const target = tableRef();
          if (target) tables.push(target);
          return { kind: 'ddl', type: 'RENAME', tables, database: defaultDatabase };
        }
      }
      return { kind: 'ddl', type: 'ALTER', tables, database: defaultDatabase };
    }
    return { kind: 'other' };
  }
  if (first === 'DROP') {
    accept('TEMPORARY');
    if (accept('DATABASE', 'SCHEMA')) {
      ifExists();
      return { kind: 'database-ddl', type: 'ERASE', database: t[p]?.text ?? defaultDatabase };
    }
    if (accept('TABLE')) {
      ifExists();
      return { kind: 'ddl', type: 'ERASE', tables: tableList(), database: defaultDatabase };
    }
    accept('ONLINE', 'OFFLINE');
    if (accept('INDEX')) {
      while (p < t.length && kw() !== 'ON') p++;
      p++;
      const ref = tableRef();
      return ref ? { kind: 'ddl', type: 'DINDEX', tables: [ref], database: defaultDatabase } : { kind: 'other' };
    }
    return { kind: 'other' };
  }
  if (first === 'RENAME' && accept('TABLE', 'TABLES')) {
    const tables: TableRef[] = [];
    for (;;) {
      const from = tableRef();
      if (from === undefined || !accept('TO')) break;
      const to = tableRef();
      if (to === undefined) break;
      tables.push(from, to);
      if (t[p]?.text !== ',') break;
      p++;
    }
    return { kind: 'ddl', type: 'RENAME', tables, database: defaultDatabase };
  }
  if (first === 'TRUNCATE') {
    accept('TABLE');
    const ref = tableRef();
    return ref ? { kind: 'ddl', type: 'TRUNCATE', tables: [ref], database: defaultDatabase } : { kind: 'other' };
  }
  return { kind: 'other' };
}
