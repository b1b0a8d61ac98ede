import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaClient, type KafkaClient } from '../../../src/kafka/index.ts';
import { systemClock } from '../../../src/sdk/clock.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { SchemaRegistryClient } from '../../../src/serde/registry/client.ts';
import { EmbeddedSchemaRegistry } from '../../../src/serde/registry/embedded-registry.ts';
import { KafkaSchemaLog } from '../../../src/serde/registry/kafka-schema-log.ts';
import type { SchemaText } from '../../../src/serde/registry/model.ts';
import { uniqueName } from '../../harness/names.ts';
import { readTopic } from '../exactly-once/support.ts';

const avro = (name: string, extra: object[] = []): SchemaText => ({ schemaType: 'AVRO', schema: JSON.stringify({ type: 'record', name, namespace: 'it', fields: [{ name: 'id', type: 'long' }, ...extra] }) });

describe('embedded schema registry on Kafka', () => {
  const brokers = inject('kafkaBrokers');
  let kafka: KafkaClient;
  const running: EmbeddedSchemaRegistry[] = [];
  beforeAll(() => {
    kafka = createKafkaClient({ brokers }, { logger: silentLogger, clientId: 'schema-registry-test' });
  });
  afterAll(async () => {
    await Promise.allSettled(running.map((r) => r.stop()));
  });

  async function start(topic: string): Promise<{ registry: EmbeddedSchemaRegistry; client: SchemaRegistryClient }> {
    const registry = await EmbeddedSchemaRegistry.start({ log: new KafkaSchemaLog({ client: kafka, logger: silentLogger, clock: systemClock, topic }), logger: silentLogger });
    running.push(registry);
    return { registry, client: new SchemaRegistryClient({ urls: [registry.url], clock: systemClock, logger: silentLogger }) };
  }

  it('keeps its state in a compacted topic: a restarted registry serves the same subjects, ids, versions and levels', async () => {
    const topic = uniqueName('schemas');
    const first = await start(topic);
    const users1 = await first.client.register('users-value', avro('User'));
    const users2 = await first.client.register('users-value', avro('User', [{ name: 'email', type: ['null', 'string'], default: null }]));
    const orders = await first.client.register('orders-value', avro('Order'));
    await first.client.setCompatibility('orders-value', 'FULL');
    await first.registry.stop();

    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.listTopics()).toContain(topic);
    } finally {
      await admin.disconnect();
    }
    expect((await readTopic(kafka, topic)).length).toBe(4);

    const second = await start(topic);
    expect(await second.client.subjects()).toEqual(['orders-value', 'users-value']);
    expect(await second.client.version('users-value', 1)).toMatchObject({ id: users1 });
    expect(await second.client.version('users-value', 'latest')).toMatchObject({ id: users2, version: 2 });
    expect(await second.client.schemaById(orders)).toEqual(avro('Order'));
    // The level survived: FULL refuses a field without a default.
    await expect(second.client.register('orders-value', avro('Order', [{ name: 'sku', type: 'string' }]))).rejects.toThrow(/FULL.*field "sku"/);
    expect(await second.client.register('orders-value', avro('Order', [{ name: 'sku', type: 'string', default: '' }]))).toBe(Math.max(users1, users2, orders) + 1);
  });

  it('shares state between instances: one registers, another (another worker) serves it', async () => {
    const topic = uniqueName('schemas');
    const writer = await start(topic);
    const reader = await start(topic);
    const id = await writer.client.register('shared-value', avro('Shared'));
    // The reader has not seen the record yet when asked; a miss catches up with the topic first.
    expect(await reader.client.schemaById(id)).toEqual(avro('Shared'));
    expect(await reader.client.version('shared-value', 'latest')).toMatchObject({ id, version: 1 });
  });

  it('settles two writers racing for the same subject the same way in every instance', async () => {
    const topic = uniqueName('schemas');
    const a = await start(topic);
    const b = await start(topic);
    await a.client.setCompatibility('race-value', 'NONE');
    const [idA, idB] = await Promise.all([a.client.register('race-value', avro('FromA')), b.client.register('race-value', avro('FromB'))]);
    expect(idA).not.toBe(idB);
    const seen = async (c: SchemaRegistryClient) => [await c.version('race-value', 1), await c.version('race-value', 2)].map((v) => v.id).sort();
    expect(await seen(a.client)).toEqual([idA, idB].sort());
    expect(await seen(b.client)).toEqual([idA, idB].sort());
    const late = await start(topic);
    expect(await seen(late.client)).toEqual([idA, idB].sort());
  });
});
