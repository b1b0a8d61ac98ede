import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { usersShape } from '../../../connectors/datagen/users.ts';
import { createBuiltinRegistry } from '../../../src/builtins.ts';
import { createKafkaClient, type KafkaClient } from '../../../src/kafka/index.ts';
import { loadPipelineFile } from '../../../src/pipeline/load.ts';
import { PipelineRunner, type PipelineRole } from '../../../src/runtime/pipeline-runner.ts';
import { systemClock } from '../../../src/sdk/clock.ts';
import { parseJson } from '../../../src/sdk/json-text.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import type { PluginRegistry } from '../../../src/sdk/registry.ts';
import type { Schema } from '../../../src/sdk/schema.ts';
import type { SourceRecord } from '../../../src/sdk/record.ts';
import type { SourcePlugin } from '../../../src/sdk/source.ts';
import { SchemaRegistryClient } from '../../../src/serde/registry/client.ts';
import { EmbeddedSchemaRegistry } from '../../../src/serde/registry/embedded-registry.ts';
import { KafkaSchemaLog } from '../../../src/serde/registry/kafka-schema-log.ts';
import { DATE, DECIMAL, TIME, TIMESTAMP } from '../../../src/serde/logical-types.ts';
import { uniqueName } from '../../harness/names.ts';
import { readTopic, waitFor } from '../exactly-once/support.ts';
import { tempDir, writePipeline } from '../runtime/support.ts';

/**
 * Interop through real Kafka and the pipeline's own embedded registry (topic `_tributary-schemas`):
 * what Tributary writes is decoded by @kafkajs/confluent-schema-registry, a client we did not write,
 * and what that client writes is read by a Tributary sink.
 */
const COUNT = 300;

interface Line {
  key: unknown;
  value: Record<string, unknown>;
}

async function readLines(dir: string): Promise<Line[]> {
  const lines: Line[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.jsonl')) continue;
    for (const line of (await readFile(join(dir, name), 'utf8')).split('\n')) if (line.trim() !== '') lines.push(parseJson(line) as Line);
  }
  return lines;
}

describe('avro through pipelines, interoperating with @kafkajs/confluent-schema-registry', () => {
  const brokers = inject('kafkaBrokers');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let kafka: KafkaClient;
  /** A second instance of the embedded registry on the same topic, as an external tool would use it. */
  let registry: EmbeddedSchemaRegistry;
  let theirs: SchemaRegistry;
  beforeAll(async () => {
    dir = await tempDir('tributary-avro-pipeline');
    kafka = createKafkaClient({ brokers }, { logger: silentLogger, clientId: 'avro-pipeline-test' });
    registry = await EmbeddedSchemaRegistry.start({ log: new KafkaSchemaLog({ client: kafka, logger: silentLogger, clock: systemClock }), logger: silentLogger });
    theirs = new SchemaRegistry({ host: registry.url });
  });
  afterAll(async () => {
    await registry.stop();
    await dir.cleanup();
  });

  /**
   * Runs a pipeline until its file sink has written `lines` lines to `out`. (Not `exitWhenDone`: the
   * runtime reads the topics' end offsets right after the source's last commit, when Kafka may not
   * have written the transaction markers yet, and can stop before the sinks have it all.)
   */
  async function run(yaml: string, out: string, lines: number, options: { role?: PipelineRole; plugins?: (r: PluginRegistry) => void } = {}) {
    const name = /^name: (\S+)/m.exec(yaml)?.[1] ?? 'pipeline';
    const file = await writePipeline(dir.path, name, yaml);
    const plugins = createBuiltinRegistry();
    options.plugins?.(plugins);
    const { spec, errors } = await loadPipelineFile(file, { env: {}, registry: plugins });
    expect(errors).toEqual([]);
    if (spec === undefined) throw new Error('no spec');
    const runner = new PipelineRunner({ spec, registry: plugins, client: kafka, logger: silentLogger, clock: systemClock, role: options.role ?? 'all', exitWhenDone: false, progressIntervalMs: 60_000 });
    const stop = new AbortController();
    const running = runner.run(stop.signal);
    let failed: unknown;
    running.catch((err: unknown) => {
      failed = err;
    });
    try {
      await waitFor(`${name}: ${lines} lines in ${out}`, async () => failed !== undefined || (await readLines(out)).length >= lines, 90_000);
    } finally {
      stop.abort();
    }
    return running;
  }

  it('writes datagen users as Avro (key and value) that the Confluent client decodes, and a sink reads back', async () => {
    const name = uniqueName('avro-users');
    const out = join(dir.path, name);
    const summary = await run(
      `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
source:
  connector: datagen
  config: { kind: users, seed: 5, count: ${COUNT}, batchSize: 100 }
topic: { name: ${name}, partitions: 3 }
serializer: { format: avro }
keySerializer: { format: avro }
sinks:
  - { name: files, connector: file, workers: 2, config: { directory: ${out} } }
`,
      out,
      COUNT,
    );
    expect(summary.source?.produced).toBe(COUNT);
    const expected = (id: number) => usersShape.generate(id, { seed: 5 } as never);

    // The sink read it back with Tributary's deserializer: Timestamps come back as Dates (ISO in JSON).
    const lines = await readLines(out);
    expect(lines).toHaveLength(COUNT);
    for (const line of lines) {
      const id = Number(line.value.id);
      expect(line.key).toBe(String(id));
      expect(line.value).toEqual({ ...expected(id), created_at: new Date(expected(id).created_at as number).toISOString() });
    }

    // The raw topic, decoded by a client we did not write, through another registry instance on the same topic.
    const raw = await readTopic(kafka, name);
    expect(raw).toHaveLength(COUNT);
    for (const m of raw) {
      const value = (await theirs.decode(m.value as Buffer)) as Record<string, unknown>;
      expect(await theirs.decode(m.key as Buffer)).toBe(String(value.id));
      expect({ ...value }).toEqual(expected(Number(value.id)));
    }
    const subject = await new SchemaRegistryClient({ urls: [registry.url], clock: systemClock, logger: silentLogger }).version(`${name}-value`, 'latest');
    expect(JSON.parse(subject.schema)).toMatchObject({ type: 'record', name: 'tributary.datagen.User' });
  });

  it('reads records the Confluent client wrote, into a sink', async () => {
    const name = uniqueName('avro-in');
    const out = join(dir.path, name);
    const schema = {
      type: 'record',
      name: 'Reading',
      namespace: 'iot',
      fields: [
        { name: 'sensor', type: 'string' },
        { name: 'celsius', type: 'double' },
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'note', type: ['null', 'string'], default: null },
      ],
    };
    const { id } = await theirs.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject: `${name}-value` });
    const admin = kafka.admin();
    await admin.connect();
    await admin.ensureTopics([{ topic: name, partitions: 2 }]);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const readings = Array.from({ length: 50 }, (_, i) => ({ sensor: `s${i % 5}`, celsius: i / 4, at: 1_700_000_000_000 + i, note: i % 2 === 0 ? null : `n${i}` }));
    await producer.send(await Promise.all(readings.map(async (r) => ({ topic: name, key: Buffer.from(r.sensor), value: await theirs.encode(id, r) }))));
    await producer.disconnect();

    await run(
      `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
source: { connector: datagen, config: { count: 0 } }
topic: { name: ${name}, partitions: 2 }
serializer: { format: avro }
keySerializer: { format: string }
sinks:
  - { name: files, connector: file, config: { directory: ${out} } }
`,
      out,
      readings.length,
      { role: 'sinks' },
    );
    const lines = await readLines(out);
    expect(lines.map((l) => l.value).sort((a, b) => String(a.at).localeCompare(String(b.at)))).toEqual(readings.map((r) => ({ ...r, at: new Date(r.at).toISOString() })));
  });

  it('carries every logical type through a pipeline, and sends a record that does not fit its schema to the dead-letter topic', async () => {
    const name = uniqueName('avro-types');
    const out = join(dir.path, name);
    const dlq = `${name}.dlq`;
    const schema: Schema = {
      type: 'struct',
      name: 'torture.db.types.Value',
      fields: [
        { field: 'id', schema: { type: 'int32' } },
        { field: 'price', schema: { type: 'bytes', name: DECIMAL, version: 1, parameters: { scale: '3', 'connect.decimal.precision': '20' } } },
        { field: 'day', schema: { type: 'int32', name: DATE, version: 1 } },
        { field: 'at', schema: { type: 'int32', name: TIME, version: 1 } },
        { field: 'ts', schema: { type: 'int64', name: TIMESTAMP, version: 1 } },
        { field: 'dbz_date', schema: { type: 'int32', optional: true, name: 'io.debezium.time.Date', version: 1 } },
        { field: 'dbz_time', schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTime', version: 1 } },
        { field: 'dbz_ts', schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTimestamp', version: 1 } },
        { field: 'big', schema: { type: 'int64' } },
        { field: 'small', schema: { type: 'int8' } },
      ],
    };
    const row = (id: number) => ({
      id,
      price: `${id % 2 === 0 ? '-' : ''}${id}12345678901234.567`,
      day: new Date(Date.UTC(1999, 11, 31 + id)),
      at: new Date(id * 1001),
      ts: new Date(Date.UTC(2024, 0, 1) + id * 60_000),
      dbz_date: id % 3 === 0 ? null : 10_957 + id,
      dbz_time: id % 3 === 0 ? null : 3_600_000_000 + id,
      dbz_ts: id % 3 === 0 ? null : 1_704_067_200_000_000 + id,
      big: 9_223_372_036_854_775_000n + BigInt(id),
      small: -id,
    });
    const rows: SourceRecord[] = Array.from({ length: 40 }, (_, i) => ({ topic: '', key: String(i + 1), value: row(i + 1), valueSchema: schema, headers: [], sourcePartition: { t: 1 }, sourceOffset: { n: i + 1 } }));
    // One row whose price has more fraction digits than its scale: it must not be written rounded.
    rows.splice(10, 0, { topic: '', key: 'bad', value: { ...row(99), price: '1.2345' }, valueSchema: schema, headers: [], sourcePartition: { t: 1 }, sourceOffset: { n: 99 } });
    const source: SourcePlugin = {
      spec: { name: 'fixed-rows', kind: 'source', summary: 'test rows', version: '1.0.0', config: { type: 'object', properties: {} } },
      createTask: () => {
        let sent = false;
        return {
          start: async () => undefined,
          poll: async () => {
            if (sent) return null;
            sent = true;
            return rows;
          },
          stop: async () => undefined,
        };
      },
    };
    const summary = await run(
      `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
source: { connector: fixed-rows }
topic: { name: ${name}, partitions: 1 }
serializer: { format: avro }
keySerializer: { format: string }
errors: { tolerance: all, deadLetterTopic: ${dlq} }
sinks:
  - { name: files, connector: file, config: { directory: ${out} } }
`,
      out,
      40,
      { plugins: (r) => r.register(source) },
    );
    expect(summary.source).toMatchObject({ produced: 40, deadLettered: 1 });

    const lines = await readLines(out);
    expect(lines.map((l) => l.value)).toEqual(
      rows
        .filter((r) => r.key !== 'bad')
        .map((r) => {
          const v = r.value as ReturnType<typeof row>;
          return { ...v, day: v.day.toISOString(), at: v.at.toISOString(), ts: v.ts.toISOString() };
        }),
    );

    const [dead, ...more] = await readTopic(kafka, dlq);
    expect(more).toEqual([]);
    const header = (key: string) => dead?.headers.find((h) => h.key === key)?.value?.toString();
    expect(header('tributary.dlq.stage')).toBe('source.serialize');
    expect(header('tributary.dlq.error.code')).toBe('SERIALIZATION_FAILED');
    expect(header('tributary.dlq.error.message')).toContain('price');

    const registered = JSON.parse((await new SchemaRegistryClient({ urls: [registry.url], clock: systemClock, logger: silentLogger }).version(`${name}-value`, 'latest')).schema);
    const logical = Object.fromEntries((registered.fields as Array<{ name: string; type: unknown }>).map((f) => [f.name, JSON.stringify(f.type).match(/"logicalType":"([a-z-]+)"/)?.[1]]));
    expect(logical).toEqual({ id: undefined, price: 'decimal', day: 'date', at: 'time-millis', ts: 'timestamp-millis', dbz_date: 'date', dbz_time: 'time-micros', dbz_ts: 'timestamp-micros', big: undefined, small: undefined });
  });

  it('writes json-schema records that the Confluent client validates and decodes', async () => {
    const name = uniqueName('json-schema-orders');
    const out = join(dir.path, name);
    const summary = await run(
      `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
source:
  connector: datagen
  config: { kind: orders, seed: 2, count: 100, batchSize: 50 }
topic: { name: ${name}, partitions: 2 }
serializer: { format: json-schema }
keySerializer: { format: string }
sinks:
  - { name: files, connector: file, config: { directory: ${out} } }
`,
      out,
      100,
    );
    expect(summary.source?.produced).toBe(100);
    expect(await readLines(out)).toHaveLength(100);
    const strictOff = new SchemaRegistry({ host: registry.url }, { [SchemaType.JSON]: { strict: false } });
    for (const m of await readTopic(kafka, name)) expect(await strictOff.decode(m.value as Buffer)).toMatchObject({ id: expect.any(Number), amount: expect.stringMatching(/^\d+\.\d\d$/) });
  });
});
