import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { mysqlBinlogSource } from '../../../connectors/mysql-binlog/index.ts';
import { Charsets } from '../../../connectors/mysql-binlog/binlog/charset.ts';
import { CanalFormatter, type FlatMessage } from '../../../connectors/mysql-binlog/output/canal-format.ts';
import { DebeziumFormatter } from '../../../connectors/mysql-binlog/output/debezium-format.ts';
import { TopicRouter } from '../../../connectors/mysql-binlog/output/topic-router.ts';
import { columnFromCatalog } from '../../../connectors/mysql-binlog/schema/information-schema.ts';
import { resolveFromCatalog } from '../../../connectors/mysql-binlog/snapshot/catalog-table.ts';
import type { RowChange } from '../../../connectors/mysql-binlog/stream/change.ts';
import { headerValue, type ConfigSchema, type SourceRecord } from '../../../src/sdk/index.ts';

const table = resolveFromCatalog(
  {
    database: 'shop',
    table: 'orders',
    primaryKey: ['id'],
    columns: [
      columnFromCatalog('id', 'bigint', 'bigint(20) unsigned', false, null),
      columnFromCatalog('amount', 'decimal', 'decimal(10,2)', true, null),
      columnFromCatalog('note', 'varchar', 'varchar(20)', true, 'utf8mb4'),
      columnFromCatalog('flags', 'bit', 'bit(10)', true, null),
    ],
  },
  new Charsets(),
);

function change(op: RowChange['op'], before: RowChange['before'], after: RowChange['after'], last = true): RowChange {
  return {
    kind: 'row',
    op,
    table,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    rowInEvent: 0,
    offset: { file: 'binlog.000003', pos: 900, row: 0, gtid: '0-1-42' },
    txn: { id: '0-1-42', gtid: '0-1-42', threadId: null, query: 'UPDATE orders SET ...', startFile: 'binlog.000003', startPos: 500 },
    indexInTxn: 2,
    lastInTxn: last,
    timestamp: 1_700_000_000,
    serverId: 1,
    file: 'binlog.000003',
    eventPos: 700,
  };
}

const partition = { mysqlBinlog: 'shop' };

describe('Canal FlatMessage', () => {
  it('prints values as Canal strings and puts only changed columns in old', () => {
    const f = new CanalFormatter(new TopicRouter('cdc.${database}.${table}'), new TopicRouter('cdc.ddl'), partition);
    const [record] = f.format(change('update', [18446744073709551615n, '1.50', 'a', Buffer.from([0x02, 0x01])], [18446744073709551615n, '2.50', 'a', Buffer.from([0x02, 0x01])]), 1_700_000_001_000);
    const m = record?.value as FlatMessage;
    expect(record?.topic).toBe('cdc.shop.orders');
    expect(record?.key).toBe('{"id":"18446744073709551615"}');
    expect(m).toMatchObject({
      id: 3 * 2 ** 32 + 500,
      database: 'shop',
      table: 'orders',
      pkNames: ['id'],
      isDdl: false,
      type: 'UPDATE',
      es: 1_700_000_000_000,
      ts: 1_700_000_001_000,
      sql: '',
      gtid: '0-1-42',
      data: [{ id: '18446744073709551615', amount: '2.50', note: 'a', flags: '513' }],
      old: [{ amount: '1.50' }],
    });
    expect(m.sqlType).toEqual({ id: 3, amount: 3, note: 12, flags: -7 });
    expect(m.mysqlType).toEqual({ id: 'bigint(20) unsigned', amount: 'decimal(10,2)', note: 'varchar(20)', flags: 'bit(10)' });
    expect(record?.sourceOffset).toEqual({ file: 'binlog.000003', pos: 900, row: 0, gtid: '0-1-42' });
    expect(headerValue(record as NonNullable<typeof record>, 'tributary.txn.id')).toBe('0-1-42');
    expect(headerValue(record as NonNullable<typeof record>, 'tributary.txn.last')).toBe('true');
  });
});

describe('Debezium envelope', () => {
  const f = new DebeziumFormatter(new TopicRouter('${database}_${table}'), new TopicRouter('schema-changes'), partition, {
    serverName: 'shop',
    decimalHandling: 'precise',
    tombstonesOnDelete: true,
    connectorVersion: '1.0.0',
  });

  it('a delete is the envelope with before and op d, then a tombstone for the same key', () => {
    const records = f.format(change('delete', [7n, '1.00', null, Buffer.from([0x00, 0x03])], undefined), 5);
    expect(records).toHaveLength(2);
    const [envelope, tombstone] = records;
    expect(envelope?.topic).toBe('shop_orders');
    expect(envelope?.key).toEqual({ id: '7' });
    expect(envelope?.keySchema).toMatchObject({ type: 'struct', name: 'shop.shop.orders.Key' });
    expect(envelope?.value).toMatchObject({
      before: { id: '7', amount: '1.00', note: null, flags: Buffer.from([0x03, 0x00]) },
      after: null,
      op: 'd',
      ts_ms: 5,
      source: { connector: 'mysql', name: 'shop', db: 'shop', table: 'orders', gtid: '0-1-42', file: 'binlog.000003', pos: 700, row: 0, query: 'UPDATE orders SET ...', snapshot: 'false' },
    });
    expect(tombstone?.value).toBeNull();
    expect(tombstone?.key).toEqual({ id: '7' });
    expect(tombstone?.sourceOffset).toEqual(envelope?.sourceOffset);
  });

  it('an update of the primary key is a delete (and tombstone) under the old key, then a create under the new one', () => {
    const records = f.format(change('update', [7n, '1.00', 'a', Buffer.from([0, 1])], [8n, '2.00', 'a', Buffer.from([0, 1])]), 5);
    expect(records.map((r) => [r.key, (r.value as { op: string } | null)?.op ?? null])).toEqual([
      [{ id: '7' }, 'd'],
      [{ id: '7' }, null],
      [{ id: '8' }, 'c'],
    ]);
    const [deleted, , created] = records as [SourceRecord, SourceRecord, SourceRecord];
    expect(deleted.value).toMatchObject({ before: { id: '7', amount: '1.00' }, after: null });
    expect(created.value).toMatchObject({ before: null, after: { id: '8', amount: '2.00' } });
    expect(headerValue(deleted, '__debezium.newkey')).toBe('{"id":"8"}');
    expect(headerValue(created, '__debezium.oldkey')).toBe('{"id":"7"}');
    expect(created.sourceOffset).toEqual(deleted.sourceOffset);
    // An update that keeps the key stays one op u record.
    const same = f.format(change('update', [7n, '1.00', 'a', Buffer.from([0, 1])], [7n, '3.00', 'a', Buffer.from([0, 1])]), 5);
    expect(same.map((r) => [r.key, (r.value as { op: string }).op])).toEqual([[{ id: '7' }, 'u']]);
  });

  it('a snapshot read is op r with source.snapshot true/last', () => {
    const c = { ...change('read', undefined, [1n, '0.00', 'x', Buffer.from([0, 0])]), snapshot: 'last' as const };
    const [r] = f.format(c, 5);
    expect(r?.value).toMatchObject({ op: 'r', before: null, source: { snapshot: 'last' } });
  });
});

describe('plugin spec', () => {
  it('describes every property, gives it a default, and marks the password secret', () => {
    const { spec } = mysqlBinlogSource;
    expect(spec).toMatchObject({ name: 'mysql-binlog', kind: 'source', version: '1.0.0' });
    for (const [name, prop] of Object.entries(spec.config.properties ?? {})) {
      expect(prop.description, name).toEqual(expect.any(String));
      expect('default' in prop, `${name} has a default`).toBe(true);
    }
    expect(spec.config.properties?.password?.secret).toBe(true);
    const ajv = new Ajv({ strict: true, useDefaults: true });
    ajv.addKeyword('secret');
    const validate = ajv.compile<Record<string, unknown>>(spec.config as ConfigSchema & object);
    const config: Record<string, unknown> = {};
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(config).toMatchObject({ port: 3306, snapshot: 'initial', format: 'canal', topic: 'cdc.${database}.${table}' });
    expect(validate({ snapshot: 'sometimes' })).toBe(false);
    expect(validate({ notAField: 1 })).toBe(false);
  });
});
