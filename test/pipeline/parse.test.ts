import { describe, expect, it } from 'vitest';
import { formatPipelineError } from '../../src/pipeline/error.ts';
import type { Env } from '../../src/pipeline/env.ts';
import { parsePipeline, type LoadResult } from '../../src/pipeline/load.ts';
import { PluginRegistry, type TransformPlugin } from '../../src/sdk/index.ts';
import { createFixtureRegistry, testgenSource } from '../fixtures/plugins/fixture-registry.ts';

const FILE = 'pipelines/x.yaml';

async function parse(text: string, env: Env = {}, registry: PluginRegistry = createFixtureRegistry()): Promise<LoadResult & { lines: string[] }> {
  const result = await parsePipeline(text, FILE, { env, registry, baseDir: process.cwd() });
  return { ...result, lines: result.errors.map(formatPipelineError) };
}

/** A valid pipeline with `extra` appended (top-level keys) so each case shows only what it is about. */
function pipeline(extra = '', source = 'source:\n  connector: testgen\n'): string {
  return `name: x\n${source}topic:\n  name: events\n${extra}`;
}

describe('parsePipeline: file-level cases', () => {
  it('an empty file, or one with only comments, is one error at 1:1', async () => {
    expect((await parse('')).lines).toEqual([`${FILE}:1:1: the file is empty; expected a pipeline (name, source, topic, ...)`]);
    expect((await parse('# nothing yet\n')).lines).toEqual([`${FILE}:1:1: the file is empty; expected a pipeline (name, source, topic, ...)`]);
  });

  it('a second YAML document is an error at its start: one file holds one pipeline', async () => {
    const { lines } = await parse(`${pipeline()}---\nname: y\n`);
    expect(lines).toEqual([`${FILE}:6:1: a pipeline file holds one pipeline, but this is a second YAML document`]);
  });

  it('a root that is not a mapping is a type error with no path', async () => {
    expect((await parse('- a\n- b\n')).lines).toEqual([`${FILE}:1:1: must be an object`]);
  });

  it('duplicate keys are a YAML error at the repeated key', async () => {
    const { lines, errors } = await parse('name: x\nname: y\n');
    expect(lines).toEqual([`${FILE}:2:1: Map keys must be unique`]);
    expect(errors[0]?.code).toBe('CONFIG_YAML_SYNTAX');
  });

  it('a YAML syntax error never quotes the source line (it may hold a secret)', async () => {
    const { errors } = await parse(pipeline('sinks:\n  - name: pg\n    connector: testsink\n    config: { password: "hunter2 }\n'));
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.message).not.toContain('hunter2');
  });

  it('version 1 is accepted, anything else is named as unsupported', async () => {
    expect((await parse(`version: 1\n${pipeline()}`)).errors).toEqual([]);
    expect((await parse(`version: 2\n${pipeline()}`)).lines).toEqual([`${FILE}:1:10: version: unsupported version; this Tributary reads version 1`]);
  });

  it('a non-scalar key is reported at the mapping holding it', async () => {
    const { lines } = await parse(pipeline('', 'source:\n  connector: testgen\n  config:\n    ? [a, b]\n    : 1\n'));
    expect(lines).toEqual([`${FILE}:5:5: source.config: key at line 5, column 7 must be a plain name`]);
  });

  it('a key named __proto__ is an unknown field, not a prototype', async () => {
    const { lines, spec } = await parse(pipeline('', 'source:\n  connector: testgen\n  config:\n    __proto__: { polluted: true }\n'));
    expect(spec).toBeUndefined();
    expect(lines).toEqual([`${FILE}:5:5: source.config.__proto__: field "__proto__" not recognised`]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('aliases expand; an error inside one points at the anchored text', async () => {
    const text = pipeline(
      'sinks:\n  - name: a\n    connector: testsink\n    config: &db { url: 5 }\n  - name: b\n    connector: testsink\n    config: *db\n',
    );
    const { lines } = await parse(text);
    expect(lines).toEqual([`${FILE}:9:24: sinks[0].config.url: must be a string`, `${FILE}:9:24: sinks[1].config.url: must be a string`]);
  });
});

describe('parsePipeline: env references', () => {
  it('a whole-value reference becomes a number where the schema wants one, text elsewhere', async () => {
    const { spec, errors } = await parse(
      pipeline('', 'source:\n  connector: testgen\n  config:\n    rate: ${env:RATE}\n    token: ${env:TOKEN}\n'),
      { RATE: '40', TOKEN: '12345' },
    );
    expect(errors).toEqual([]);
    expect(spec?.source.config).toMatchObject({ rate: 40, token: '12345' });
  });

  it('a reference whose value does not read as the wanted type is a type error at the scalar', async () => {
    const { lines } = await parse(pipeline('', 'source:\n  connector: testgen\n  config:\n    rate: ${env:RATE}\n'), { RATE: 'fast' });
    expect(lines).toEqual([`${FILE}:5:11: source.config.rate: must be an integer`]);
  });

  it('text around a reference keeps it a string, and a literal "3" is not coerced', async () => {
    const { lines } = await parse(pipeline('', 'source:\n  connector: testgen\n  config:\n    rate: "1${env:RATE}"\n    count: "3"\n'), { RATE: '0' });
    expect(lines).toEqual([`${FILE}:5:11: source.config.rate: must be an integer`, `${FILE}:6:12: source.config.count: must be an integer`]);
  });

  it('pipeline fields coerce too: partitions, workers, booleans', async () => {
    const { spec, errors } = await parse(
      pipeline('sinks:\n  - name: pg\n    connector: testsink\n    workers: ${env:W}\n    config: { url: u }\nkafka:\n  brokers: [b:9092]\n  ssl: ${env:TLS}\n').replace(
        '  name: events\n',
        '  name: events\n  partitions: ${env:P:-3}\n',
      ),
      { W: '4', TLS: 'true' },
    );
    expect(errors).toEqual([]);
    expect(spec?.topic.partitions).toBe(3);
    expect(spec?.sinks[0]?.workers).toBe(4);
    expect(spec?.kafka?.ssl).toBe(true);
  });

  it('an empty default gives an empty string; $${ gives a literal ${', async () => {
    const { spec } = await parse(
      pipeline('sinks:\n  - name: pg\n    connector: testsink\n    config:\n      url: "${env:NOPE:-}"\n      credentials: { user: "$${env:USER}" }\n'),
    );
    expect(spec?.sinks[0]?.config).toMatchObject({ url: '', credentials: { user: '${env:USER}' } });
  });

  it('a reference to an unset variable reports once, not again as a type error', async () => {
    const { lines } = await parse(pipeline('', 'source:\n  connector: testgen\n  config:\n    rate: ${env:RATE}\n'));
    expect(lines).toEqual([`${FILE}:5:11: source.config.rate: environment variable RATE is not set (give a default with \${env:RATE:-...})`]);
  });

  it('an unterminated reference is malformed', async () => {
    const { lines } = await parse(pipeline('', 'source:\n  connector: testgen\n  config:\n    token: "${env:TOKEN"\n'), { TOKEN: 't' });
    expect(lines).toEqual([`${FILE}:5:12: source.config.token: unterminated \${env:...} reference (missing "}")`]);
  });
});

describe('parsePipeline: cross-field rules', () => {
  it('negate without a predicate has nothing to invert', async () => {
    const { lines } = await parse(pipeline('transforms:\n  - type: mask-field\n    fields: [a]\n    negate: true\n'));
    expect(lines).toEqual([`${FILE}:9:13: transforms[0].negate: negate needs a predicate to invert`]);
  });

  it('exactly-once is accepted for a transactional sink', async () => {
    const { errors, spec } = await parse(pipeline('sinks:\n  - name: pg\n    connector: testsink-tx\n    delivery: exactly-once\n    config: { url: u }\n'));
    expect(errors).toEqual([]);
    expect(spec?.sinks[0]?.delivery).toBe('exactly-once');
  });

  it('sink-side transforms are checked like source-side ones', async () => {
    const { lines } = await parse(pipeline('sinks:\n  - name: pg\n    connector: testsink\n    config: { url: u }\n    transforms:\n      - type: mask-field\n        feilds: [a]\n'));
    expect(lines).toEqual([
      `${FILE}:11:9: sinks[0].transforms[0]: missing required field "fields"`,
      `${FILE}:12:9: sinks[0].transforms[0].feilds: field "feilds" not recognised (did you mean "fields"?)`,
    ]);
  });

  it('a typo in a framework key of a flat entry suggests the framework key', async () => {
    const { lines } = await parse(
      pipeline('transforms:\n  - type: mask-field\n    fields: [a]\n    predicat: { type: topic-matches, pattern: x }\nserializer: { formt: json }\n'),
    );
    expect(lines).toEqual([
      `${FILE}:9:5: transforms[0].predicat: field "predicat" not recognised (did you mean "predicate"?)`,
      `${FILE}:10:15: serializer.formt: field "formt" not recognised (did you mean "format"?)`,
    ]);
  });

  it('durations: units, bare milliseconds and digit strings', async () => {
    const { spec } = await parse(pipeline('errors:\n  retry: { timeout: 0, initialDelay: "250", maxDelay: 1.5s }\n'));
    expect(spec?.errors.retry).toEqual({ timeoutMs: 0, initialDelayMs: 250, maxDelayMs: 1500 });
  });

  it('topic configs are strings, named with quotes when the key has a dot', async () => {
    const { lines } = await parse(pipeline().replace('  name: events\n', '  name: events\n  configs:\n    retention.ms: 86400000\n'));
    expect(lines).toEqual([`${FILE}:7:19: topic.configs["retention.ms"]: must be a string`]);
  });

  it('a union type names both alternatives', async () => {
    const { lines } = await parse(pipeline('kafka:\n  brokers: [b:9092]\n  ssl: yes\n'));
    expect(lines).toEqual([`${FILE}:8:8: kafka.ssl: must be a boolean or an object`]);
  });

  it('topic names: ${field} placeholders are allowed, other characters are not', async () => {
    expect((await parse(pipeline().replace('name: events', 'name: cdc.${db}.${table}'))).errors).toEqual([]);
    expect((await parse(pipeline().replace('name: events', 'name: "events/1"'))).lines).toEqual([
      `${FILE}:5:9: topic.name: must be a topic name (letters, digits, ".", "_" and "-"), optionally with \${field} placeholders`,
    ]);
  });
});

describe('parsePipeline: plugins', () => {
  it('a plugin whose config schema does not compile is reported at its name', async () => {
    const registry = createFixtureRegistry();
    registry.register({ ...testgenSource, spec: { ...testgenSource.spec, name: 'broken-schema', config: { type: 'object', properties: { a: { type: 'no-such-type' } } } } });
    const { lines, errors } = await parse(pipeline('', 'source:\n  connector: broken-schema\n'), {}, registry);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${FILE}:3:14: source\\.connector: source connector "broken-schema" has an invalid config schema: compiling config schema: `));
    expect(errors[0]?.code).toBe('PLUGIN_INVALID');
  });

  it('a user plugin that clashes with a different registered plugin of the same name is an error at its entry', async () => {
    const registry = createFixtureRegistry();
    const impostor: TransformPlugin = {
      spec: { name: 'uppercase', kind: 'transform', summary: 'Another one.', version: '9.9.9', config: {} },
      create: () => ({ apply: (r) => r }),
    };
    registry.register(impostor);
    const text = pipeline('plugins: [./test/fixtures/plugins/uppercase-transform.ts]\n');
    const { lines } = await parse(text, {}, registry);
    expect(lines).toEqual([
      `${FILE}:6:11: plugins[0]: plugin "./test/fixtures/plugins/uppercase-transform.ts" defines a transform named "uppercase", but one with that name is already registered`,
    ]);
  });

  it('an unknown keySerializer format is reported like a value serializer format', async () => {
    const { lines } = await parse(pipeline('keySerializer: { format: avro }\n'), {}, createFixtureRegistry());
    expect(lines).toEqual([`${FILE}:6:26: keySerializer.format: unknown serializer format "avro" (known: json)`]);
  });

  it('an unknown plugin named by a default says it is the default (it is on no line of the file)', async () => {
    const { lines } = await parse(pipeline(), {}, new PluginRegistry().register(testgenSource));
    expect(lines).toEqual([
      `${FILE}:1:1: keySerializer.format: unknown serializer format "json" (the default; none registered)`,
      `${FILE}:1:1: serializer.format: unknown serializer format "json" (the default; none registered)`,
    ]);
  });
});
