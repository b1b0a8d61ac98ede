import type { WriteMode } from './config.ts';
import { cellText } from './cell-text.ts';
import type { Row, RowOp } from './row-op.ts';
import type { TableInfo } from './table-catalog.ts';

/** One statement's worth of work on one table: rows with the same columns, or keys to delete. */
export type Step = { kind: 'write'; columns: string[]; rows: Row[] } | { kind: 'delete'; rows: Row[] };

/**
 * Orders a table's operations (in record order, key columns already checked) into statements.
 *
 * - `upsert`: the batch is folded to its net effect per key, which is what applying it row by row
 *   in one transaction leaves behind: a key whose last operation is a delete is deleted; a key
 *   written after its last delete (or never deleted) gets one row, the merge of those writes
 *   (later fields win; fields a write leaves out keep the earlier value, as consecutive upserts of
 *   partial rows would). So all deletes run first, then one upsert per column set. No statement
 *   meets the same key twice, which ON CONFLICT DO UPDATE requires.
 * - `insert`: no folding (a repeated key must fail as it would one by one); consecutive operations of
 *   the same kind and columns (in the same field order) share a statement, in record order.
 */
export function planTable(table: TableInfo, ops: readonly RowOp[], pk: readonly string[], mode: WriteMode): Step[] {
  return mode === 'upsert' ? planUpserts(table, ops, pk) : planInserts(ops);
}

function planUpserts(table: TableInfo, ops: readonly RowOp[], pk: readonly string[]): Step[] {
  const net = new Map<string, { deleted?: Row; written?: Row }>();
  for (const op of ops) {
    const key = keyText(table, op.row, pk);
    const state = net.get(key) ?? {};
    if (op.kind === 'delete') {
      net.set(key, { deleted: op.row });
    } else {
      const written = state.written === undefined ? op.row : new Map([...state.written, ...op.row]);
      net.set(key, { ...state, written });
    }
  }
  const deletes: Row[] = [];
  const writes = new ColumnGroups();
  for (const { deleted, written } of net.values()) {
    if (deleted !== undefined) deletes.push(deleted);
    if (written !== undefined) writes.add(written);
  }
  const steps: Step[] = [];
  if (deletes.length > 0) steps.push({ kind: 'delete', rows: deletes });
  for (const group of writes.groups()) steps.push({ kind: 'write', ...group });
  return steps;
}

/**
 * Rows grouped by their column set, for one statement per group. The lookup key is the column names
 * in the row's own order (records of one stream list their fields in the same order, so this is one
 * string join per row, no sort); groups whose sorted names match are merged at the end.
 */
class ColumnGroups {
  private readonly byOrder = new Map<string, { columns: string[]; rows: Row[] }>();

  add(row: Row): void {
    const order = [...row.keys()].join('\u0000');
    let group = this.byOrder.get(order);
    if (group === undefined) {
      group = { columns: [...row.keys()].sort(), rows: [] };
      this.byOrder.set(order, group);
    }
    group.rows.push(row);
  }

  groups(): Array<{ columns: string[]; rows: Row[] }> {
    const merged = new Map<string, { columns: string[]; rows: Row[] }>();
    for (const g of this.byOrder.values()) {
      const key = g.columns.join('\u0000');
      const into = merged.get(key);
      if (into === undefined) merged.set(key, { columns: g.columns, rows: [...g.rows] });
      else into.rows.push(...g.rows);
    }
    return [...merged.values()];
  }
}

function planInserts(ops: readonly RowOp[]): Step[] {
  const steps: Step[] = [];
  let signature: string | undefined;
  for (const op of ops) {
    const next = op.kind === 'delete' ? 'delete' : `write:${[...op.row.keys()].join('\u0000')}`;
    const last = steps[steps.length - 1];
    if (last !== undefined && next === signature) {
      last.rows.push(op.row);
      continue;
    }
    steps.push(op.kind === 'delete' ? { kind: 'delete', rows: [op.row] } : { kind: 'write', columns: [...op.row.keys()].sort(), rows: [op.row] });
    signature = next;
  }
  return steps;
}

/** The key of a row as the text the server would compare after casting (same formatting as writes). */
function keyText(table: TableInfo, row: Row, pk: readonly string[]): string {
  if (pk.length === 1) return keyPart(table, row, pk[0] as string) ?? '\u0000null';
  return JSON.stringify(pk.map((name) => keyPart(table, row, name)));
}

function keyPart(table: TableInfo, row: Row, name: string): string | null {
  const column = table.columns.get(name);
  const value = row.get(name)?.value;
  return column === undefined ? String(value) : cellText(value, column);
}
