import { describe, expect, it } from 'vitest';
import { mapRecords, type MappingOptions } from '../../../connectors/postgres/record-mapper.ts';
import type { Row, RowOp } from '../../../connectors/postgres/row-op.ts';
import type { Schema } from '../../../src/sdk/index.ts';
import { sinkRecord } from '../support/sink-records.ts';

const options = (overrides: Partial<MappingOptions> = {}): MappingOptions => ({
  format: 'auto',
  primaryKey: [],
  deletes: true,
  tombstones: 'ignore',
  nulInText: 'refuse',
  tableFor: (topic) => topic.replace(/[^A-Za-z0-9_]/g, '_'),
  ...overrides,
});

/** Row values only, as a plain object, for readable expectations. */
const values = (row: Row): Record<string, unknown> => Object.fromEntries([...row].map(([k, c]) => [k, c.value]));
const types = (row: Row): Record<string, string | undefined> => Object.fromEntries([...row].map(([k, c]) => [k, c.type]));
const summary = (op: RowOp): unknown => ({ kind: op.kind, table: op.table, pk: op.pk, row: values(op.row), ...(op.scalarKey !== undefined ? { scalarKey: op.scalarKey } : {}) });

describe('plain records', () => {
  it('make the value object the row, typed from the values when there is no schema', () => {
    const { ops, refusals } = mapRecords([sinkRecord({ topic: 'shop.orders', offset: 0, key: '7', value: { id: 7, amount: 1.5, ok: true, tags: ['x'], big: 2n ** 70n } })], options());
    expect(refusals).toEqual([]);
    expect(ops.map(summary)).toEqual([{ kind: 'upsert', table: 'shop_orders', pk: [], row: { id: 7, amount: 1.5, ok: true, tags: ['x'], big: 2n ** 70n }, scalarKey: '7' }]);
    expect(types(ops[0]!.row)).toEqual({ id: 'bigint', amount: 'double precision', ok: 'boolean', tags: 'jsonb', big: 'numeric' });
  });

  it('take column types from a struct value schema, including logical types', () => {
    const valueSchema: Schema = {
      type: 'struct',
      fields: [
        { field: 'id', schema: { type: 'int32' } },
        { field: 'price', schema: { type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } } },
        { field: 'at', schema: { type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' } },
        { field: 'day', schema: { type: 'int32', name: 'org.apache.kafka.connect.data.Date' } },
      ],
    };
    const { ops } = mapRecords([sinkRecord({ offset: 0, value: { id: 1, price: '9.99', at: new Date(0), day: 19723 }, valueSchema })], options());
    expect(types(ops[0]!.row)).toEqual({ id: 'integer', price: 'numeric', at: 'timestamptz', day: 'date' });
    // A Date logical left as a day number is turned into the date text.
    expect(values(ops[0]!.row).day).toBe('2024-01-01');
  });

  it('fill key fields the row lacks from an object key, and take the key columns from it', () => {
    const { ops } = mapRecords([sinkRecord({ offset: 0, key: { tenant: 'a', id: 3 }, value: { id: 3, name: 'x' } })], options());
    expect(ops.map(summary)).toEqual([{ kind: 'upsert', table: 'orders', pk: ['tenant', 'id'], row: { id: 3, name: 'x', tenant: 'a' } }]);
  });

  it('prefer the configured primary key over the record key', () => {
    const { ops } = mapRecords([sinkRecord({ offset: 0, key: { k: 1 }, value: { id: 3 } })], options({ primaryKey: ['id'] }));
    expect(ops[0]!.pk).toEqual(['id']);
  });

  it('ignore tombstones by default, and delete by key with tombstones: delete', () => {
    const tombstone = sinkRecord({ offset: 4, key: { id: 9 }, value: null });
    expect(mapRecords([tombstone], options()).ops).toEqual([]);
    expect(mapRecords([tombstone], options({ tombstones: 'delete' })).ops.map(summary)).toEqual([{ kind: 'delete', table: 'orders', pk: ['id'], row: { id: 9 } }]);
    expect(mapRecords([sinkRecord({ offset: 5, key: '9', value: null })], options({ tombstones: 'delete' })).ops.map(summary)).toEqual([
      { kind: 'delete', table: 'orders', pk: [], row: {}, scalarKey: '9' },
    ]);
  });

  it('refuse values that are not rows and field names that cannot be columns, naming the record', () => {
    const { ops, refusals } = mapRecords(
      [
        sinkRecord({ offset: 0, value: 'just text' }),
        sinkRecord({ offset: 1, value: { ['x'.repeat(64)]: 1 } }),
        sinkRecord({ offset: 2, value: { ok: 1 } }),
        sinkRecord({ offset: 3, key: null, value: null }),
      ],
      options({ tombstones: 'delete' }),
    );
    expect(ops.map((op) => op.index)).toEqual([2]);
    expect(refusals.map((r) => r.index)).toEqual([0, 1, 3]);
    expect(refusals[0]?.reason).toMatch(/must be an object.*not a string/);
    expect(refusals[1]?.reason).toMatch(/longer than 63 bytes/);
    expect(refusals[2]?.reason).toMatch(/tombstone without a key/);
  });
});

describe('Debezium envelopes', () => {
  const envelope = (op: string, before: unknown, after: unknown): Record<string, unknown> => ({ op, before, after, source: { db: 'shop', table: 'orders' }, ts_ms: 1 });

  it('write `after` for c, r and u, delete by key for d, and skip t and m', () => {
    const key = { id: 1 };
    const { ops } = mapRecords(
      [
        sinkRecord({ offset: 0, key, value: envelope('r', null, { id: 1, v: 'a' }) }),
        sinkRecord({ offset: 1, key, value: envelope('c', null, { id: 1, v: 'b' }) }),
        sinkRecord({ offset: 2, key, value: envelope('u', { id: 1, v: 'b' }, { id: 1, v: 'c' }) }),
        sinkRecord({ offset: 3, key, value: envelope('d', { id: 1, v: 'c' }, null) }),
        sinkRecord({ offset: 4, key, value: null }),
        sinkRecord({ offset: 5, key: null, value: envelope('t', null, null) }),
      ],
      options(),
    );
    expect(ops.map(summary)).toEqual([
      { kind: 'upsert', table: 'orders', pk: ['id'], row: { id: 1, v: 'a' } },
      { kind: 'upsert', table: 'orders', pk: ['id'], row: { id: 1, v: 'b' } },
      { kind: 'upsert', table: 'orders', pk: ['id'], row: { id: 1, v: 'c' } },
      { kind: 'delete', table: 'orders', pk: ['id'], row: { id: 1, v: 'c' } },
    ]);
    expect(ops.map((op) => op.index)).toEqual([0, 1, 2, 3]);
  });

  it('skip deletes with deletes: false', () => {
    const { ops } = mapRecords([sinkRecord({ offset: 0, key: { id: 1 }, value: envelope('d', { id: 1 }, null) })], options({ deletes: false }));
    expect(ops).toEqual([]);
  });

  it('type `after` from the envelope schema and convert Debezium time types', () => {
    const row: Schema = {
      type: 'struct',
      optional: true,
      fields: [
        { field: 'id', schema: { type: 'int64' } },
        { field: 'born', schema: { type: 'int32', name: 'io.debezium.time.Date' } },
        { field: 'seen', schema: { type: 'int64', name: 'io.debezium.time.MicroTimestamp' } },
        { field: 'doc', schema: { type: 'string', name: 'io.debezium.data.Json' } },
      ],
    };
    const valueSchema: Schema = { type: 'struct', fields: [{ field: 'before', schema: row }, { field: 'after', schema: row }, { field: 'op', schema: { type: 'string' } }] };
    const { ops } = mapRecords([sinkRecord({ offset: 0, key: { id: 1 }, value: envelope('c', null, { id: 1, born: 1, seen: 1_700_000_000_123_456, doc: '{"a":1}' }), valueSchema })], options());
    expect(types(ops[0]!.row)).toEqual({ id: 'bigint', born: 'date', seen: 'timestamp', doc: 'jsonb' });
    expect(values(ops[0]!.row)).toEqual({ id: 1, born: '1970-01-02', seen: '2023-11-14T22:13:20.123456', doc: '{"a":1}' });
  });

  it('type Debezium times as interval when the source is MySQL or MariaDB (TIME is a signed duration)', () => {
    const row: Schema = { type: 'struct', optional: true, fields: [{ field: 'id', schema: { type: 'int32' } }, { field: 'took', schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTime' } }] };
    const envelopeSchema = (sourceName: string): Schema => ({
      type: 'struct',
      fields: [
        { field: 'before', schema: row },
        { field: 'after', schema: row },
        { field: 'source', schema: { type: 'struct', name: sourceName, fields: [{ field: 'connector', schema: { type: 'string' } }] } },
        { field: 'op', schema: { type: 'string' } },
      ],
    });
    const value = { ...envelope('c', null, { id: 1, took: -3_020_399_000_000 }), source: { connector: 'mysql' } };
    const typed = (valueSchema: Schema | undefined, v: unknown = value) => mapRecords([sinkRecord({ offset: 0, key: { id: 1 }, value: v, ...(valueSchema ? { valueSchema } : {}) })], options()).ops[0]!.row;
    expect(types(typed(envelopeSchema('io.debezium.connector.mysql.Source'))).took).toBe('interval');
    expect(types(typed(envelopeSchema('io.debezium.connector.mariadb.Source'))).took).toBe('interval');
    expect(values(typed(envelopeSchema('io.debezium.connector.mysql.Source'))).took).toBe('-838:59:59.000000');
    expect(types(typed(envelopeSchema('io.debezium.connector.postgresql.Source'))).took).toBe('time');
  });

  it('is recognised by auto only when op comes with before/after, and refused by format: debezium otherwise', () => {
    const plainWithOp = sinkRecord({ offset: 0, value: { op: 'c', id: 1 } });
    expect(mapRecords([plainWithOp], options()).ops.map(summary)).toEqual([{ kind: 'upsert', table: 'orders', pk: [], row: { op: 'c', id: 1 } }]);
    expect(mapRecords([plainWithOp], options({ format: 'debezium' })).refusals[0]?.reason).toMatch(/not a Debezium envelope/);
    expect(mapRecords([sinkRecord({ offset: 0, value: envelope('x', null, {}) })], options()).refusals[0]?.reason).toMatch(/unknown Debezium op "x"/);
  });
});

describe('Canal flat messages', () => {
  const message = (type: string, data: unknown[] | null, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    id: 1,
    database: 'shop',
    table: 'orders',
    pkNames: ['id'],
    isDdl: false,
    type,
    es: 1,
    ts: 2,
    sql: '',
    sqlType: { id: 4, amount: 3, payload: 2004 },
    mysqlType: { id: 'int(11) unsigned', amount: 'decimal(10,2)', payload: 'blob', at: 'datetime' },
    data,
    old: null,
    ...extra,
  });

  it('write every data row, keyed by pkNames, typed by mysqlType, values left as strings', () => {
    const { ops } = mapRecords(
      [
        sinkRecord({
          offset: 0,
          value: message('INSERT', [
            { id: '1', amount: '9.50', at: '2024-01-01 10:00:00' },
            { id: '2', amount: null, at: null },
          ]),
        }),
      ],
      options(),
    );
    expect(ops.map(summary)).toEqual([
      { kind: 'upsert', table: 'orders', pk: ['id'], row: { id: '1', amount: '9.50', at: '2024-01-01 10:00:00' } },
      { kind: 'upsert', table: 'orders', pk: ['id'], row: { id: '2', amount: null, at: null } },
    ]);
    expect(types(ops[0]!.row)).toEqual({ id: 'bigint', amount: 'numeric(10,2)', at: 'timestamp' });
  });

  it('turn binary columns back into the bytes Canal decoded as ISO-8859-1', () => {
    const { ops } = mapRecords([sinkRecord({ offset: 0, value: message('INSERT', [{ id: '1', payload: '\u00ff\u0000A' }]) })], options());
    expect(values(ops[0]!.row).payload).toEqual(Buffer.from([0xff, 0x00, 0x41]));
  });

  it('delete each row of a DELETE, and delete the old key first when an UPDATE changed the key', () => {
    const { ops } = mapRecords(
      [
        sinkRecord({ offset: 0, value: message('DELETE', [{ id: '5', amount: '1.00' }]) }),
        sinkRecord({ offset: 1, value: message('UPDATE', [{ id: '7', amount: '2.00' }], { old: [{ id: '6' }] }) }),
        sinkRecord({ offset: 2, value: message('UPDATE', [{ id: '7', amount: '3.00' }], { old: [{ amount: '2.00' }] }) }),
      ],
      options(),
    );
    expect(ops.map(summary)).toEqual([
      { kind: 'delete', table: 'orders', pk: ['id'], row: { id: '5', amount: '1.00' } },
      { kind: 'delete', table: 'orders', pk: ['id'], row: { id: '6', amount: '2.00' } },
      { kind: 'upsert', table: 'orders', pk: ['id'], row: { id: '7', amount: '2.00' } },
      { kind: 'upsert', table: 'orders', pk: ['id'], row: { id: '7', amount: '3.00' } },
    ]);
  });

  it('skip DDL and other message types', () => {
    const { ops, refusals } = mapRecords(
      [sinkRecord({ offset: 0, value: message('ALTER', null, { isDdl: true, sql: 'ALTER TABLE orders ADD x int' }) }), sinkRecord({ offset: 1, value: message('QUERY', null) })],
      options(),
    );
    expect(ops).toEqual([]);
    expect(refusals).toEqual([]);
  });

  it('refuse a data row that is not an object', () => {
    expect(mapRecords([sinkRecord({ offset: 0, value: message('INSERT', ['1']) })], options()).refusals[0]?.reason).toMatch(/data\[0\] must be an object/);
  });
});

describe('NUL characters in text', () => {
  const record = (note: unknown) => sinkRecord({ offset: 0, key: { id: 1 }, value: { id: 1, note, raw: Buffer.from([0, 1]) } });

  it('refuse the record by default, naming the column (PostgreSQL text cannot hold U+0000)', () => {
    const { ops, refusals } = mapRecords([record('a\u0000b'), record('fine')], options());
    expect(ops.map((o) => values(o.row).note)).toEqual(['fine']);
    expect(refusals).toEqual([{ index: 0, reason: expect.stringContaining('"note"') }]);
    expect(refusals[0]?.reason).toContain('nulInText: strip');
  });

  it('drop the NUL characters with nulInText: strip, leaving bytes alone', () => {
    const { ops, refusals } = mapRecords([record('\u0000a\u0000b')], options({ nulInText: 'strip' }));
    expect(refusals).toEqual([]);
    expect(values(ops[0]!.row)).toEqual({ id: 1, note: 'ab', raw: Buffer.from([0, 1]) });
  });
});
