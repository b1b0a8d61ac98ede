import { describe, expect, it } from 'vitest';
import { loadPipelineFile } from '../../src/pipeline/load.ts';
import { createFixtureRegistry } from '../fixtures/plugins/fixture-registry.ts';
import { fixture, loadFixture } from './helpers.ts';

// Each fixture is named after the case it covers; every expected line is exact: file, line, column,
// field path and message.

describe('loadPipelineFile: valid files', () => {
  it('pipeline-valid-minimal.yaml resolves with every default filled in', async () => {
    const { spec, errors, file } = await loadFixture('pipeline-valid-minimal.yaml');
    expect(errors).toEqual([]);
    expect(spec).toMatchObject({
      version: 1,
      name: 'minimal',
      plugins: [],
      source: { connector: 'testgen', delivery: 'exactly-once', config: { rate: 10, shape: 'square' } },
      transforms: [],
      topic: { name: 'minimal.events', partitions: 1, replicationFactor: 1, configs: {} },
      serializer: { format: 'json', config: { schemas: false } },
      keySerializer: { format: 'json', config: { schemas: false } },
      sinks: [],
      errors: { tolerance: 'none', retry: { timeoutMs: 300_000, initialDelayMs: 500, maxDelayMs: 30_000 } },
      origin: { file },
    });
    expect(spec?.kafka).toBeUndefined();
    expect(spec?.errors.deadLetterTopic).toBeUndefined();
  });

  it('pipeline-valid-full.yaml resolves env references, user plugins, flat transforms and sink defaults', async () => {
    const env = { TEST_KAFKA_CA: 'ca-pem', TEST_KAFKA_KEY: 'key-pem', TEST_KAFKA_PASSWORD: 'kafka-pw', TEST_TOKEN: 'tok', TEST_PG_PASSWORD: 'pg-pw' };
    const { spec, errors } = await loadFixture('pipeline-valid-full.yaml', env);
    expect(errors).toEqual([]);
    if (spec === undefined) throw new Error('no spec');
    expect(spec.kafka).toEqual({
      brokers: ['kafka-1:9092', 'kafka-2:9092'],
      clientId: 'shop',
      ssl: { ca: 'ca-pem', key: 'key-pem' },
      sasl: { mechanism: 'scram-sha-512', username: 'shop', password: 'kafka-pw' },
    });
    // `rate: ${env:TEST_RATE:-25}` is a whole-value reference, so the schema's integer wins over text.
    expect(spec.source).toEqual({ connector: 'testgen', delivery: 'at-least-once', config: { rate: 25, token: 'tok', shape: 'square' } });
    expect(spec.transforms).toEqual([
      {
        type: 'mask-field',
        config: { fields: ['email'], replacement: '****' },
        predicate: { type: 'topic-matches', config: { pattern: '^shop\\.' } },
        negate: true,
        path: 'transforms[0]',
      },
      { type: 'uppercase', config: { field: 'name' }, negate: false, path: 'transforms[1]' },
    ]);
    expect(spec.topic).toEqual({ name: 'cdc.${database}.${table}', partitions: 6, replicationFactor: -1, configs: { 'retention.ms': '86400000' } });
    expect(spec.serializer).toEqual({ format: 'json', config: { schemas: true } });
    expect(spec.sinks).toEqual([
      {
        name: 'pg',
        connector: 'testsink-tx',
        workers: 3,
        group: 'tributary-shop-cdc-pg',
        topics: ['cdc.${database}.${table}'],
        delivery: 'exactly-once',
        transforms: [],
        config: { url: 'postgres://localhost/shop', password: 'pg-pw', mode: 'upsert' },
        batchSize: 500,
        sessionTimeoutMs: 30_000,
        path: 'sinks[0]',
      },
      {
        name: 'archive',
        connector: 'testsink',
        workers: 1,
        group: 'tributary-shop-cdc-archive',
        topics: ['shop.orders'],
        delivery: 'at-least-once',
        transforms: [{ type: 'mask-field', config: { fields: ['card'], replacement: '****' }, negate: false, path: 'sinks[1].transforms[0]' }],
        config: { url: 'file:///var/archive', mode: 'insert' },
        batchSize: 100,
        sessionTimeoutMs: 30_000,
        path: 'sinks[1]',
      },
    ]);
    expect(spec.errors).toEqual({ tolerance: 'all', deadLetterTopic: 'shop-cdc.dlq', retry: { timeoutMs: 120_000, initialDelayMs: 250, maxDelayMs: 10_000 } });
  });

  it('pipeline-user-plugin.yaml loads the plugin by path into the registry it was given', async () => {
    const registry = createFixtureRegistry();
    const { spec, errors } = await loadPipelineFile(fixture('pipeline-user-plugin.yaml'), { env: {}, registry });
    expect(errors).toEqual([]);
    expect(spec?.transforms[0]).toMatchObject({ type: 'uppercase', config: { field: 'name' } });
    expect(registry.has('transform', 'uppercase')).toBe(true);
    // Loading it again into the same registry is not a conflict: it is the same plugin object.
    expect((await loadPipelineFile(fixture('pipeline-user-plugin.yaml'), { env: {}, registry })).errors).toEqual([]);
  });
});

describe('loadPipelineFile: invalid files report every error exactly', () => {
  it('pipeline-invalid-yaml.yaml: the YAML error, at the position the parser gives', async () => {
    const { lines, file, errors } = await loadFixture('pipeline-invalid-yaml.yaml');
    expect(lines).toEqual([`${file}:5:1: Flow map in block collection must be sufficiently indented and end with a }`]);
    expect(errors[0]?.code).toBe('CONFIG_YAML_SYNTAX');
  });

  it('pipeline-unknown-field.yaml: unknown keys at the key, with did-you-mean (defaults do not hide suggestions)', async () => {
    const { lines, file } = await loadFixture('pipeline-unknown-field.yaml');
    expect(lines).toEqual([
      `${file}:6:3: topic.partitons: field "partitons" not recognised (did you mean "partitions"?)`,
      `${file}:11:7: sinks[0].config: missing required field "url"`,
      `${file}:11:7: sinks[0].config.yourl: field "yourl" not recognised (did you mean "url"?)`,
    ]);
  });

  it('pipeline-wrong-type.yaml: type errors at the value, in the pipeline schema and in plugin config', async () => {
    const { lines, file } = await loadFixture('pipeline-wrong-type.yaml');
    expect(lines).toEqual([
      `${file}:5:11: source.config.rate: must be an integer`,
      `${file}:8:15: topic.partitions: must be an integer`,
      `${file}:12:14: sinks[0].workers: must be an integer`,
      `${file}:14:12: sinks[0].config.url: must be a string`,
    ]);
  });

  it('pipeline-missing-required.yaml: missing fields at the parent object (the root has no path)', async () => {
    const { lines, file } = await loadFixture('pipeline-missing-required.yaml');
    expect(lines).toEqual([
      `${file}:1:1: missing required field "name"`,
      `${file}:2:3: source: missing required field "connector"`,
      `${file}:5:3: topic: missing required field "name"`,
      `${file}:7:5: sinks[0]: missing required field "name"`,
    ]);
  });

  it('pipeline-unknown-plugin.yaml: every plugin kind, at the name, with did-you-mean or the known names', async () => {
    const { lines, file, errors } = await loadFixture('pipeline-unknown-plugin.yaml');
    expect(lines).toEqual([
      `${file}:3:14: source.connector: unknown source connector "testgn" (did you mean "testgen"?)`,
      `${file}:5:11: transforms[0].type: unknown transform "mask-feild" (did you mean "mask-field"?)`,
      `${file}:9:24: transforms[1].predicate.type: unknown predicate "topic-matchez" (did you mean "topic-matches"?)`,
      `${file}:13:11: serializer.format: unknown serializer format "avro" (known: json)`,
      `${file}:16:16: sinks[0].connector: unknown sink connector "elasticsearch" (known: testsink, testsink-tx)`,
    ]);
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set(['PLUGIN_NOT_FOUND']));
  });

  it('pipeline-bad-env-reference.yaml: unset and malformed references at their scalar; $${ stays literal', async () => {
    const { lines, file, errors } = await loadFixture('pipeline-bad-env-reference.yaml');
    expect(lines).toEqual([
      `${file}:5:12: source.config.token: environment variable TRIBUTARY_TEST_UNSET_TOKEN is not set (give a default with \${env:TRIBUTARY_TEST_UNSET_TOKEN:-...})`,
      `${file}:13:12: sinks[0].config.url: environment variable TRIBUTARY_TEST_PG_HOST is not set (give a default with \${env:TRIBUTARY_TEST_PG_HOST:-...})`,
      `${file}:14:17: sinks[0].config.password: invalid variable name in \${env:...} reference (use letters, digits and "_", not starting with a digit)`,
    ]);
    expect(errors.map((e) => e.code)).toEqual(['CONFIG_ENV_MISSING', 'CONFIG_ENV_MISSING', 'CONFIG_INVALID']);
  });

  it('pipeline-bad-env-reference.yaml resolves once the variables are set', async () => {
    const fixed = await loadFixture('pipeline-bad-env-reference.yaml', {
      TRIBUTARY_TEST_UNSET_TOKEN: 'tok',
      TRIBUTARY_TEST_PG_HOST: 'db.internal',
    });
    // The malformed reference is still malformed; everything else resolves.
    expect(fixed.lines).toEqual([
      `${fixed.file}:14:17: sinks[0].config.password: invalid variable name in \${env:...} reference (use letters, digits and "_", not starting with a digit)`,
    ]);
  });

  it('pipeline-duplicate-sink-name.yaml: the repeated name, pointing back at the first', async () => {
    const { lines, file } = await loadFixture('pipeline-duplicate-sink-name.yaml');
    expect(lines).toEqual([`${file}:13:11: sinks[2].name: duplicate sink name "pg" (already used by sinks[0])`]);
  });

  it('pipeline-bad-plugin-config.yaml: plugin config errors at their YAML position, with the full path', async () => {
    const { lines, file } = await loadFixture('pipeline-bad-plugin-config.yaml');
    expect(lines).toEqual([
      `${file}:5:11: source.config.rate: must be >= 1`,
      `${file}:7:12: source.config.shape: must be one of: square, circle`,
      `${file}:9:5: transforms[0]: missing required field "fields"`,
      `${file}:10:18: transforms[0].replacement: must be a string`,
      `${file}:12:13: transforms[1].fields: must not be empty`,
      `${file}:14:7: transforms[1].predicate: missing required field "pattern"`,
      `${file}:15:7: transforms[1].predicate.patern: field "patern" not recognised (did you mean "pattern"?)`,
      `${file}:20:12: serializer.schemas: must be a boolean`,
      `${file}:26:17: sinks[0].config.password: must be a string`,
      `${file}:28:14: sinks[0].config.credentials.key: must be a string`,
    ]);
  });

  it('pipeline-bad-plugin-config.yaml: no message echoes a value, secret or not', async () => {
    const { errors } = await loadFixture('pipeline-bad-plugin-config.yaml');
    const text = errors.map((e) => e.message).join('\n');
    for (const value of ['hunter2-token-value', '987654321', 'k3y-part', 'triangle', '^shop']) expect(text).not.toContain(value);
  });

  it('pipeline-multiple-errors.yaml: all problems of all kinds, in file order', async () => {
    const { lines, file } = await loadFixture('pipeline-multiple-errors.yaml');
    expect(lines).toEqual([
      `${file}:1:7: name: must use only lower case letters, digits, ".", "_" and "-", starting with a letter or digit`,
      `${file}:3:12: kafka.brokers: must not be empty`,
      `${file}:5:5: kafka.sasl: missing required field "password"`,
      `${file}:5:16: kafka.sasl.mechanism: must be one of: plain, scram-sha-256, scram-sha-512`,
      `${file}:10:11: source.config.rate: environment variable TRIBUTARY_TEST_UNSET_RATE is not set (give a default with \${env:TRIBUTARY_TEST_UNSET_RATE:-...})`,
      `${file}:13:22: topic.replicationFactor: must not be 0`,
      `${file}:17:15: sinks[0].delivery: sink connector "testsink" is at-least-once only; it cannot deliver exactly-once`,
      `${file}:19:11: sinks[1].name: duplicate sink name "pg" (already used by sinks[0])`,
      `${file}:20:16: sinks[1].connector: unknown sink connector "testsnk" (did you mean "testsink"?)`,
      `${file}:22:14: errors.tolerance: tolerance "all" needs errors.deadLetterTopic, so failed records are kept`,
      `${file}:24:14: errors.retry.timeout: must be a duration like "30s", "500ms" or "5m", or a number of milliseconds`,
      `${file}:25:19: errors.retry.initialDelay: must not be longer than maxDelay`,
    ]);
  });

  it('pipeline-bad-user-plugin.yaml: a missing module and a module with no plugin, at their entries', async () => {
    const { lines, file, errors } = await loadFixture('pipeline-bad-user-plugin.yaml');
    expect(lines).toEqual([
      `${file}:3:5: plugins[0]: no plugin module at "../plugins/no-such-plugin.ts" (relative paths start from the pipeline file's folder)`,
      `${file}:4:5: plugins[1]: loading plugin "../plugins/not-a-plugin.ts": export has no valid spec (need name, kind, version, summary, config)`,
      `${file}:8:11: transforms[0].type: unknown transform "uppercase" (known: mask-field)`,
    ]);
    expect(errors.map((e) => e.code)).toEqual(['PLUGIN_NOT_FOUND', 'PLUGIN_INVALID', 'PLUGIN_NOT_FOUND']);
  });

  it('an unreadable path is one error naming the file, with no position', async () => {
    const { lines } = await loadFixture('pipeline-that-does-not-exist.yaml');
    expect(lines).toEqual([`${fixture('pipeline-that-does-not-exist.yaml')}: cannot read file: no such file`]);
  });
});
