import { describe, expect, it } from 'vitest';
import { planTable, type Step } from '../../../connectors/postgres/batch-plan.ts';
import type { Row, RowOp } from '../../../connectors/postgres/row-op.ts';
import type { ColumnInfo, TableInfo } from '../../../connectors/postgres/table-catalog.ts';

const column = (name: string, baseType = 'bigint', category = 'N'): ColumnInfo => ({ name, castType: baseType, baseType, category });
const table: TableInfo = {
  schema: 'public',
  name: 't',
  columns: new Map([column('id'), column('a', 'text', 'S'), column('b', 'text', 'S')].map((c) => [c.name, c])),
  primaryKey: ['id'],
};
const row = (fields: Record<string, unknown>): Row => new Map(Object.entries(fields).map(([k, value]) => [k, { value, type: undefined }]));
let index = 0;
const write = (fields: Record<string, unknown>): RowOp => ({ kind: 'upsert', table: 't', row: row(fields), pk: ['id'], index: index++ });
const del = (id: unknown): RowOp => ({ kind: 'delete', table: 't', row: row({ id }), pk: ['id'], index: index++ });
const show = (steps: Step[]): unknown =>
  steps.map((s) => (s.kind === 'delete' ? { delete: s.rows.map((r) => r.get('id')?.value) } : { write: s.columns, rows: s.rows.map((r) => Object.fromEntries([...r].map(([k, c]) => [k, c.value]))) }));

describe('planTable, upsert mode: the net effect of the batch per key', () => {
  it('merges consecutive writes of a key, later fields winning, earlier ones kept', () => {
    expect(show(planTable(table, [write({ id: 1, a: 'x' }), write({ id: 2, a: 'y' }), write({ id: 1, b: 'z' }), write({ id: 1, a: 'w' })], ['id'], 'upsert'))).toEqual([
      { write: ['a', 'b', 'id'], rows: [{ id: 1, a: 'w', b: 'z' }] },
      { write: ['a', 'id'], rows: [{ id: 2, a: 'y' }] },
    ]);
  });

  it('drops writes before a delete, and deletes first then writes what came after it', () => {
    expect(show(planTable(table, [write({ id: 1, a: 'x' }), del(1), write({ id: 2, a: 'y' }), del(2), write({ id: 2, b: 'z' })], ['id'], 'upsert'))).toEqual([
      { delete: [1, 2] },
      { write: ['b', 'id'], rows: [{ id: 2, b: 'z' }] },
    ]);
  });

  it('treats keys that format to the same text as the same key (number 5 and Canal\'s "5")', () => {
    expect(show(planTable(table, [write({ id: 5, a: 'x' }), write({ id: '5', a: 'y' })], ['id'], 'upsert'))).toEqual([{ write: ['a', 'id'], rows: [{ id: '5', a: 'y' }] }]);
  });
});

describe('planTable, insert mode: record order, no folding', () => {
  it('groups consecutive operations of one kind and column set, keeping repeated keys', () => {
    expect(show(planTable(table, [write({ id: 1, a: 'x' }), write({ id: 1, a: 'y' }), del(1), write({ id: 1, a: 'z' }), write({ id: 2, b: 'q' })], ['id'], 'insert'))).toEqual([
      { write: ['a', 'id'], rows: [{ id: 1, a: 'x' }, { id: 1, a: 'y' }] },
      { delete: [1] },
      { write: ['a', 'id'], rows: [{ id: 1, a: 'z' }] },
      { write: ['b', 'id'], rows: [{ id: 2, b: 'q' }] },
    ]);
  });
});
