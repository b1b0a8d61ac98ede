import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DlqHeaders } from '../../../src/runtime/dead-letter.ts';
import { headerValue } from '../../../src/sdk/index.ts';
import { uniqueName } from '../../harness/names.ts';
import { createDatabase, type PostgresDatabase } from '../../harness/postgres.ts';
import { consumeCount, waitFor } from '../kafka/helpers.ts';
import { caughtUp, endOffsets, kafkaClient, pipelineSpec, produceJson, runSinksUntil } from './pipeline-support.ts';

/**
 * Kafka -> sink workers -> PostgreSQL, through the real runtime (PipelineRunner, SinkWorker, the
 * kafkajs client) against real Kafka and PostgreSQL: what lands in the tables, what goes to the
 * dead-letter topic, and where a restarted sink resumes.
 */
const brokers = inject('kafkaBrokers');
let db: PostgresDatabase;
beforeAll(async () => {
  db = await createDatabase('pgsink_pipeline');
});
afterAll(async () => {
  await db?.drop();
});

function yaml(name: string, topics: string[], sink: string, errors = ''): string {
  return `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
source: { connector: datagen, config: { count: 0 } }
topic: { name: ${topics[0]} }
sinks:
  - name: pg
    connector: postgres
    delivery: exactly-once
    workers: 2
    batchSize: 50
    topics: [${topics.join(', ')}]
    config: { url: "\${env:PG_URL}", ${sink} }
${errors}`;
}

describe('postgres sink in a pipeline', () => {
  it('writes plain rows, Debezium envelopes and Canal messages from their topics to their tables, exactly', async () => {
    const name = uniqueName('pg-shapes');
    const [plain, dbz, canal] = ['plain', 'dbz', 'canal'].map((t) => `${name}.${t}`) as [string, string, string];
    const client = kafkaClient(brokers, name);
    await produceJson(client, plain, 3, [
      ...Array.from({ length: 100 }, (_, i) => ({ key: { id: i }, value: { id: i, name: `n${i}`, ok: i % 2 === 0 } })),
      { key: { id: 5 }, value: { id: 5, name: 'five', ok: false } },
    ]);
    const change = (op: string, before: unknown, after: unknown, id: number) => ({ key: { id }, value: { op, before, after, source: { table: 'orders' }, ts_ms: 1 } });
    await produceJson(client, dbz, 3, [
      change('r', null, { id: 1, status: 'new' }, 1),
      change('c', null, { id: 2, status: 'new' }, 2),
      change('u', { id: 1, status: 'new' }, { id: 1, status: 'paid' }, 1),
      change('d', { id: 2, status: 'new' }, null, 2),
      { key: { id: 2 }, value: null },
      change('c', null, { id: 3, status: 'new' }, 3),
    ]);
    await db.query(`CREATE TABLE "${canal.replace(/[^A-Za-z0-9_]/g, '_')}" (id integer PRIMARY KEY, amount numeric(8,2), at timestamp)`);
    const canalMessage = (type: string, data: unknown[], old: unknown[] | null = null) => ({
      key: null,
      partition: 0,
      value: { database: 'shop', table: 'orders', pkNames: ['id'], isDdl: false, type, mysqlType: { id: 'int', amount: 'decimal(8,2)', at: 'datetime' }, data, old, es: 1, ts: 1 },
    });
    await produceJson(client, canal, 1, [
      canalMessage('INSERT', [
        { id: '1', amount: '1.10', at: '2024-05-06 07:08:09' },
        { id: '2', amount: '2.20', at: null },
      ]),
      canalMessage('UPDATE', [{ id: '1', amount: '1.15', at: '2024-05-06 07:08:09' }], [{ amount: '1.10' }]),
      canalMessage('DELETE', [{ id: '2', amount: '2.20', at: null }]),
      { key: null, partition: 0, value: { database: 'shop', table: 'orders', isDdl: true, type: 'ALTER', sql: 'ALTER TABLE orders ADD x int', data: null } },
    ]);
    const spec = await pipelineSpec(yaml(name, [plain, dbz, canal], 'format: auto'), { PG_URL: db.url });
    const ends = await endOffsets(client, [plain, dbz, canal]);
    const summary = await runSinksUntil(spec, client, () => caughtUp(db, spec.sinks[0]!.group, ends));
    expect(summary.sinks.reduce((n, s) => n + s.deadLettered, 0)).toBe(0);

    const t = (topic: string): string => `"${topic.replace(/[^A-Za-z0-9_]/g, '_')}"`;
    const plainRows = await db.query(`SELECT id, name, ok FROM ${t(plain)} ORDER BY id`);
    expect(plainRows).toEqual(Array.from({ length: 100 }, (_, i) => (i === 5 ? { id: '5', name: 'five', ok: false } : { id: String(i), name: `n${i}`, ok: i % 2 === 0 })));
    expect(await db.query(`SELECT id, status FROM ${t(dbz)} ORDER BY id`)).toEqual([
      { id: '1', status: 'paid' },
      { id: '3', status: 'new' },
    ]);
    expect(await db.query(`SELECT id, amount::text, at::text FROM ${t(canal)} ORDER BY id`)).toEqual([{ id: 1, amount: '1.15', at: '2024-05-06 07:08:09' }]);
  });

  it('sends rows the table refuses to the dead-letter topic with headers naming the record, while the good rows land', async () => {
    const name = uniqueName('pg-dlq');
    const topic = `${name}.orders`;
    const dlq = `${name}.dlq`;
    const table = topic.replace(/[^A-Za-z0-9_]/g, '_');
    await db.query(`CREATE TABLE "${table}" (id bigint PRIMARY KEY, qty integer NOT NULL CHECK (qty > 0))`);
    const client = kafkaClient(brokers, name);
    const records = Array.from({ length: 40 }, (_, i) => ({ key: { id: i }, value: { id: i, qty: i % 10 === 3 ? 0 : i + 1 }, partition: i % 2 }));
    await produceJson(client, topic, 2, records);
    const spec = await pipelineSpec(yaml(name, [topic], 'mode: insert', `errors: { tolerance: all, deadLetterTopic: ${dlq} }`), { PG_URL: db.url });
    const ends = await endOffsets(client, [topic]);
    const summary = await runSinksUntil(spec, client, () => caughtUp(db, spec.sinks[0]!.group, ends));
    expect(summary.sinks.reduce((n, s) => n + s.deadLettered, 0)).toBe(4);

    const rows = await db.query<{ id: string }>(`SELECT id FROM "${table}" ORDER BY id`);
    expect(rows.map((r) => Number(r.id))).toEqual(records.filter((r) => r.value.qty > 0).map((r) => r.value.id));
    const letters = await consumeCount(client, [dlq], 4, {}, 500);
    expect(letters).toHaveLength(4);
    const byId = new Map(letters.map((m) => [(JSON.parse(m.value?.toString() ?? 'null') as { id: number }).id, m]));
    expect([...byId.keys()].sort((a, b) => a - b)).toEqual([3, 13, 23, 33]);
    for (const [id, m] of byId) {
      const h = (k: string): string | undefined => headerValue({ headers: m.headers, topic: dlq, key: null, value: null }, k);
      expect(h(DlqHeaders.stage)).toBe('sink.put');
      expect(h(DlqHeaders.errorCode)).toBe('SINK_RECORD_REJECTED');
      expect(h(DlqHeaders.errorMessage)).toMatch(/check constraint/);
      expect(h(DlqHeaders.topic)).toBe(topic);
      expect(h(DlqHeaders.partition)).toBe(String(id % 2));
      // Records alternate partitions, so record i sits at offset floor(i / 2) of its partition.
      expect(h(DlqHeaders.offset)).toBe(String(Math.floor(id / 2)));
      expect(JSON.parse(m.key?.toString() ?? 'null')).toEqual({ id });
    }
  });

  it('resumes from the positions stored in PostgreSQL, not Kafka\'s: no record applied twice after a restart', async () => {
    const name = uniqueName('pg-restart');
    const topic = `${name}.events`;
    const table = topic.replace(/[^A-Za-z0-9_]/g, '_');
    // Insert mode into a keyed table: a second apply of any record would fail the pipeline
    // (errors.tolerance none). The trigger counts applies per row inside the same transaction.
    await db.query(`CREATE TABLE "${table}" (id bigint PRIMARY KEY, v text)`);
    await db.query(`CREATE TABLE "${table}_applied" (id bigint PRIMARY KEY, applies integer NOT NULL)`);
    await db.query(`CREATE FUNCTION "${table}_count"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      INSERT INTO "${table}_applied" VALUES (NEW.id, 1) ON CONFLICT (id) DO UPDATE SET applies = "${table}_applied".applies + 1; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER count_applies AFTER INSERT OR UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "${table}_count"()`);
    const client = kafkaClient(brokers, name);
    const send = (from: number, to: number) => produceJson(client, topic, 3, Array.from({ length: to - from }, (_, i) => ({ key: String(from + i), value: { id: from + i, v: `v${from + i}` } })));
    const spec = await pipelineSpec(yaml(name, [topic], 'mode: insert, primaryKey: [id]'), { PG_URL: db.url });
    const group = spec.sinks[0]!.group;

    await send(0, 300);
    let ends = await endOffsets(client, [topic]);
    await runSinksUntil(spec, client, () => caughtUp(db, group, ends));
    // As if the workers had died after their database commits and before committing to Kafka.
    const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    // The members left on stop; the coordinator may still be finishing the rebalance their leaving caused.
    await waitFor('the group to be empty', async () => (await admin.describeGroups([group])).groups[0]?.state === 'Empty', 30_000);
    await admin.resetOffsets({ groupId: group, topic, earliest: true });
    await admin.disconnect();

    await send(300, 450);
    ends = await endOffsets(client, [topic]);
    await runSinksUntil(spec, client, () => caughtUp(db, group, ends));

    expect(await db.query(`SELECT count(*)::int AS n, min(id)::int AS lo, max(id)::int AS hi FROM "${table}"`)).toEqual([{ n: 450, lo: 0, hi: 449 }]);
    expect(await db.query(`SELECT applies, count(*)::int AS n FROM "${table}_applied" GROUP BY applies`)).toEqual([{ applies: 1, n: 450 }]);
    // Kafka's committed offsets follow too, for lag monitoring.
    const committed = await endOffsets(client, [topic]);
    const admin2 = client.admin();
    await admin2.connect();
    const offsets = await admin2.fetchCommittedOffsets(group, [topic]);
    await admin2.disconnect();
    expect(offsets.map((o) => BigInt(o.offset ?? '-1'))).toEqual(offsets.map((o) => committed.get(`${topic}:${o.partition}`)));
  });
});
