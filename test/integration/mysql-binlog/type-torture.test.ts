import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlatMessage } from '../../../connectors/mysql-binlog/output/canal-format.ts';
import { headerValue, type SourceRecord } from '../../../src/sdk/index.ts';
import { TORTURE_ROWS, tortureCreateTable, tortureInsert } from '../../connectors/mysql-binlog/torture-table.ts';
import { useMariaDb } from '../../harness/mariadb.ts';
import { OffsetStore, binlogTask, pollUntil, uniqueDatabase } from './support.ts';
import { BINLOG_IDS, canalTortureRoundTrip, rowsById, tortureSession } from './torture-round-trip.ts';

const db = useMariaDb();
beforeAll(db.start);
afterAll(db.stop);

describe('type torture: every type round-trips through snapshot and binlog', () => {
  it('Canal values equal a SELECT of the same rows, read by the snapshot and from the binlog', async () => {
    const run = await canalTortureRoundTrip(db.server);
    expect(run.problems).toEqual([]);
    expect(run.snapshot.every((r) => headerValue(r, 'tributary.source') === 'snapshot')).toBe(true);
    // Snapshot and binlog agree on types too, not just values.
    const a = rowsById(run.snapshot).get(2) as FlatMessage;
    const b = rowsById(run.streamed).get(102) as FlatMessage;
    expect(b.sqlType).toEqual(a.sqlType);
    expect(b.mysqlType).toEqual(a.mysqlType);
    expect(a.mysqlType?.u64).toBe('bigint(20) unsigned');
    // Canal reports an UNSIGNED value past the signed range one JDBC type up (BIGINT -> DECIMAL).
    expect(a.sqlType?.u64).toBe(3);
    expect(rowsById(run.snapshot).get(1)?.sqlType?.u64).toBe(-5);
    expect(b.data?.[0]?.u64).toBe('18446744073709551615');
  });

  it('Debezium values carry exact decimals, unsigned 64-bit, UTC timestamps and Connect schemas', async () => {
    const database = uniqueDatabase('torture_dbz');
    await db.server.query(`CREATE DATABASE \`${database}\``);
    const conn = await tortureSession(db.server, database);
    try {
      await conn.query(tortureCreateTable(database));
      const store = new OffsetStore();
      const task = binlogTask(db.server, { include: [`${database}\\.torture`], format: 'debezium', name: 'shop', snapshot: 'never' }, store);
      await task.start();
      try {
        for (const [i, row] of TORTURE_ROWS.entries()) await conn.query(tortureInsert(database, 'torture', BINLOG_IDS[i] as number, row));
        const { records } = await pollUntil(task, store, (rs) => rs.length >= TORTURE_ROWS.length);
        const max = records.find((r) => (r.key as { id: number }).id === 102) as SourceRecord;
        const zero = records.find((r) => (r.key as { id: number }).id === 103) as SourceRecord;
        const value = max.value as { after: Record<string, unknown>; op: string; source: Record<string, unknown> };
        expect(value.op).toBe('c');
        expect(max.topic).toBe(`cdc.${database}.torture`);
        expect(max.keySchema).toEqual({ type: 'struct', name: `shop.${database}.torture.Key`, fields: [{ field: 'id', schema: { type: 'int32' } }] });
        expect(value.after.u64).toBe('18446744073709551615');
        expect(value.after.d65).toBe('99999999999999999999999999999999999.999999999999999999999999999999');
        expect(value.after.i64).toBe(9223372036854775807n);
        expect(value.after.ts6).toBe('2038-01-19T03:14:07.999999Z');
        expect(value.after.dt6).toBe(253402300799999999n);
        expect(value.after.dt).toBe(2932896);
        expect(value.after.t6).toBe(3020398999999);
        expect(value.after.b64).toEqual(Buffer.alloc(8, 0xff));
        expect(value.after.b1).toBe(true);
        expect(value.after.vc).toBe('😀🎉 ünïcödé 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 中文 «»');
        expect(value.after.en).toBe("c'q");
        expect(value.source).toMatchObject({ connector: 'mysql', name: 'shop', db: database, table: 'torture', snapshot: 'false', server_id: 1 });
        expect(typeof value.source.gtid).toBe('string');
        const zeroAfter = (zero.value as { after: Record<string, unknown> }).after;
        expect(zeroAfter.dt).toBeNull();
        expect(zeroAfter.ts0).toBeNull();
        expect(zeroAfter.en).toBe('');
        const fields = (max.valueSchema?.fields ?? []).find((f) => f.field === 'after')?.schema.fields ?? [];
        const schemaOf = (name: string): unknown => fields.find((f) => f.field === name)?.schema;
        expect(schemaOf('u64')).toMatchObject({ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '0' } });
        expect(schemaOf('d10')).toMatchObject({ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2', 'connect.decimal.precision': '10' } });
        expect(schemaOf('ts3')).toMatchObject({ type: 'string', name: 'io.debezium.time.ZonedTimestamp' });
        expect(schemaOf('dt4')).toMatchObject({ type: 'int64', name: 'io.debezium.time.MicroTimestamp' });
        expect(schemaOf('en')).toMatchObject({ type: 'string', name: 'io.debezium.data.Enum', parameters: { allowed: "a,b,c'q" } });
      } finally {
        await task.stop();
      }
    } finally {
      await conn.end();
    }
  });
});
