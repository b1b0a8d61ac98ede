import { describe, expect, it } from 'vitest';
import { kafkaSink, transactionalId } from '../../../connectors/kafka/index.ts';
import { SchemaChecker } from '../../../src/pipeline/schema-check.ts';

// The validator the pipeline loader uses for plugin configs.
const validate = new SchemaChecker().plugin(kafkaSink.spec.config);

describe('kafka sink spec', () => {
  it('is a transactional sink', () => {
    expect(kafkaSink.spec).toMatchObject({ name: 'kafka', kind: 'sink', version: '1.0.0', delivery: 'transactional' });
  });

  it('needs brokers and topic, and fills every other field with its default', () => {
    expect(validate({})).toBe(false);
    expect(validate.errors?.map((e) => e.params)).toEqual(expect.arrayContaining([{ missingProperty: 'brokers' }]));
    const config: Record<string, unknown> = { brokers: ['127.0.0.1:9092'], topic: 'out' };
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(config).toEqual({
      brokers: ['127.0.0.1:9092'],
      topic: 'out',
      clientId: '',
      ssl: false,
      sasl: null,
      keyFormat: 'string',
      valueFormat: 'json',
      keyField: null,
      partitioning: 'key',
      partitions: null,
      replicationFactor: -1,
      transactionTimeoutMs: 60_000,
    });
  });

  it('allows ${topic} as the only placeholder in the output topic', () => {
    expect(validate({ brokers: ['b:1'], topic: '${topic}.filtered' })).toBe(true);
    expect(validate({ brokers: ['b:1'], topic: '${table}.filtered' })).toBe(false);
    expect(validate({ brokers: ['b:1'], topic: 'bad topic' })).toBe(false);
  });

  it('describes every field and marks the SASL password secret', () => {
    for (const [name, prop] of Object.entries(kafkaSink.spec.config.properties ?? {})) expect(prop.description, name).toEqual(expect.any(String));
    expect(kafkaSink.spec.config.properties?.sasl?.properties?.password?.secret).toBe(true);
  });

  it('derives one transactional id per input partition, the same wherever it runs', () => {
    expect(transactionalId('shop', 'mirror', { topic: 'orders', partition: 3 })).toBe('tributary-shop-mirror-orders-3');
  });
});
