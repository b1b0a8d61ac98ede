import { describe, expect, it } from 'vitest';
import type { TributaryRecord } from '../../src/sdk/record.ts';
import type { Schema } from '../../src/sdk/schema.ts';
import { unwrapCdc } from '../../src/transforms/unwrap-cdc.ts';
import { configAccepted, expectFailure } from './plugin-context.ts';
import { record, transformOf } from './records.ts';

const run = (config: Record<string, unknown>, input: TributaryRecord) => transformOf(unwrapCdc, config).apply(input) as TributaryRecord | null;

const source = { version: '2.5.0.Final', connector: 'mysql', name: 'shop', ts_ms: 1700000000000, db: 'shop', table: 'users', file: 'binlog.000003', pos: 4711 };
const debezium = (op: string, before: unknown, after: unknown) => ({ before, after, source, op, ts_ms: 1700000000123, transaction: null });

const canal = (type: string, data: unknown, extra: Record<string, unknown> = {}) => ({
  id: 1,
  database: 'shop',
  table: 'users',
  pkNames: ['id'],
  isDdl: false,
  type,
  es: 1700000000000,
  ts: 1700000000123,
  sql: '',
  sqlType: { id: 4, big: -5, price: 3, score: 8, ok: 16, name: 12 },
  mysqlType: { id: 'int', big: 'bigint', price: 'decimal(10,2)', score: 'double', ok: 'boolean', name: 'varchar(20)' },
  data,
  old: null,
  gtid: '',
  ...extra,
});

const row = { id: 1, name: 'Ann' };
const canalRow = { id: '1', big: '9007199254740993', price: '9.90', score: '1.5', ok: '1', name: 'Ann' };
const typedRow = { id: 1, big: 9007199254740993n, price: '9.90', score: 1.5, ok: true, name: 'Ann' };

describe('unwrap-cdc', () => {
  describe('Debezium envelopes', () => {
    it.each([
      ['create', 'c'],
      ['snapshot read', 'r'],
      ['update', 'u'],
    ])('a %s becomes the after row', (_name, op) => {
      const out = run({}, record(debezium(op, op === 'u' ? { id: 1, name: 'Old' } : null, row), { key: { id: 1 } }));
      expect(out?.value).toStrictEqual(row);
      expect(out?.key).toEqual({ id: 1 });
    });

    it.each<[string, Record<string, unknown>, unknown]>([
      ['tombstone (default)', {}, null],
      ['rewrite', { deletes: 'rewrite' }, { ...row, __deleted: 'true' }],
    ])('a delete with deletes: %s', (_name, config, value) => {
      const out = run(config, record(debezium('d', row, null), { key: { id: 1 } }));
      expect(out?.value).toStrictEqual(value);
      expect(out?.key).toEqual({ id: 1 });
    });

    it('drops deletes with deletes: drop', () => {
      expect(run({ deletes: 'drop' }, record(debezium('d', row, null)))).toBeNull();
    });

    it('marks other rows __deleted: "false" under rewrite', () => {
      expect(run({ deletes: 'rewrite' }, record(debezium('c', null, row)))?.value).toStrictEqual({ ...row, __deleted: 'false' });
    });

    it('adds metadata fields and headers like add.fields/add.headers', () => {
      const out = run({ addFields: ['op', 'table', 'source.ts_ms', 'ts_ms'], addHeaders: ['op', 'source.db'] }, record(debezium('u', row, row)));
      expect(out?.value).toStrictEqual({ ...row, __op: 'u', __table: 'users', __source_ts_ms: 1700000000000, __ts_ms: 1700000000123 });
      expect(out?.headers).toEqual([
        { key: '__op', value: 'u' },
        { key: '__source_db', value: 'shop' },
      ]);
    });

    it('drops incoming tombstones by default and keeps them with tombstones: keep', () => {
      const tombstone = record(null, { key: { id: 1 } });
      expect(run({}, tombstone)).toBeNull();
      expect(run({ tombstones: 'keep' }, tombstone)).toBe(tombstone);
    });

    it('reads a Connect JSON envelope that arrived without schemas', () => {
      expect(run({}, record({ schema: { type: 'struct' }, payload: debezium('c', null, row) }))?.value).toStrictEqual(row);
    });

    it('takes the row schema from the envelope schema', () => {
      const rowSchema: Schema = { type: 'struct', optional: true, name: 'shop.users.Value', fields: [{ field: 'id', schema: { type: 'int32' } }, { field: 'name', schema: { type: 'string' } }] };
      const envelope: Schema = {
        type: 'struct',
        name: 'shop.users.Envelope',
        fields: [
          { field: 'before', schema: rowSchema },
          { field: 'after', schema: rowSchema },
          { field: 'source', schema: { type: 'struct', fields: [{ field: 'table', schema: { type: 'string' } }] } },
          { field: 'op', schema: { type: 'string' } },
        ],
      };
      const out = run({ deletes: 'rewrite', addFields: ['table'] }, record(debezium('c', null, row), { valueSchema: envelope }));
      expect(out?.valueSchema).toEqual({
        type: 'struct',
        optional: false,
        name: 'shop.users.Value',
        fields: [...(rowSchema.fields ?? []), { field: '__table', schema: { type: 'string', optional: true } }, { field: '__deleted', schema: { type: 'string', optional: true } }],
      });
    });
  });

  describe('Canal flat messages', () => {
    it('an INSERT becomes the typed row', () => {
      const out = run({}, record(canal('INSERT', [canalRow]), { key: '{"id":"1"}' }));
      expect(out?.value).toStrictEqual(typedRow);
      expect(out?.key).toBe('{"id":"1"}');
    });

    it('keeps Canal strings with canalValues: string', () => {
      expect(run({ canalValues: 'string' }, record(canal('INSERT', [canalRow])))?.value).toStrictEqual(canalRow);
    });

    it('an UPDATE becomes the new row; metadata reads like Debezium', () => {
      const out = run({ addFields: ['op', 'db', 'table', 'source.ts_ms'] }, record(canal('UPDATE', [canalRow], { old: [{ name: 'Old' }] })));
      expect(out?.value).toStrictEqual({ ...typedRow, __op: 'u', __db: 'shop', __table: 'users', __source_ts_ms: 1700000000000 });
    });

    it.each<[string, Record<string, unknown>, unknown]>([
      ['tombstone', {}, null],
      ['rewrite', { deletes: 'rewrite' }, { ...typedRow, __deleted: 'true' }],
    ])('a DELETE with deletes: %s', (_name, config, value) => {
      expect(run(config, record(canal('DELETE', [canalRow])))?.value).toStrictEqual(value);
    });

    it('passes DDL through unchanged by default, drops or fails it on request', () => {
      const ddl = record(canal('ALTER', null, { isDdl: true, sql: 'ALTER TABLE users ADD x INT' }));
      expect(run({}, ddl)).toBe(ddl);
      expect(run({ onOther: 'drop' }, ddl)).toBeNull();
      expectFailure(() => run({ onOther: 'fail' }, ddl), 'TRANSFORM_FAILED', /Canal message is DDL \(ALTER\) \(onOther: fail\)/);
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['a Canal message with two rows', canal('INSERT', [canalRow, canalRow]), /holds 2 rows; unwrap-cdc makes one record per row/],
    ['a Canal message without rows', canal('INSERT', []), /has no rows/],
    ['a Canal integer column holding text', canal('INSERT', [{ ...canalRow, id: 'x1' }]), /column "id" has sqlType 4 \(an integer\) but value "x1"/],
    ['a Debezium create without an after row', debezium('c', null, null), /op "c" has null as its after row/],
    ['a Debezium update whose after row is a string', debezium('u', null, 'oops'), /op "u" has a string as its after row/],
  ])('fails clearly on %s', (_name, value, message) => {
    expectFailure(() => run({}, record(value)), 'TRANSFORM_FAILED', message);
  });

  it.each([
    ['a plain string', 'hello'],
    ['an unrelated object', { id: 1 }],
    ['a Debezium truncate', debezium('t', null, null)],
  ])('passes %s through by default and fails it with onOther: fail', (_name, value) => {
    const input = record(value);
    expect(run({}, input)).toBe(input);
    expectFailure(() => run({ onOther: 'fail' }, input), 'TRANSFORM_FAILED', /onOther: fail/);
  });

  it.each([{ deletes: 'soft' }, { addFields: ['a b'] }, { tombstones: 'pass' }, { canalValues: 'int' }])('rejects config %j', (config) => {
    expect(configAccepted(unwrapCdc.spec, config)).toBe(false);
  });
});
