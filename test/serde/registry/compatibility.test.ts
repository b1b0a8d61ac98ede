import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/sdk/clock.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { SchemaRegistryClient } from '../../../src/serde/registry/client.ts';
import { COMPATIBILITY_LEVELS, RegistryError, type CompatibilityLevel, type SchemaText } from '../../../src/serde/registry/model.ts';
import { memoryRegistry } from './support.ts';

/**
 * Schema changes accepted or refused per compatibility level, as Confluent's documentation states
 * them ("Schema Evolution and Compatibility", summary table):
 *
 *   BACKWARD  delete fields, add optional fields           (new schema reads the latest version's data)
 *   FORWARD   add fields, delete optional fields           (latest version reads the new schema's data)
 *   FULL      add optional fields, delete optional fields
 *   NONE      anything
 *
 * "Optional" in Avro means "has a default". Each case registers an old and a new schema in a fresh
 * subject of the embedded registry, through its REST API, at each level.
 */
const user = (fields: object[]): SchemaText => ({ schemaType: 'AVRO', schema: JSON.stringify({ type: 'record', name: 'User', namespace: 'shop', fields }) });

const ID = { name: 'id', type: 'long' };
const NAME = { name: 'name', type: 'string' };
const EMAIL = { name: 'email', type: 'string', default: '' };
const AGE = { name: 'age', type: 'int' };
const STATUS = { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['ACTIVE', 'BLOCKED'] } };
const base = [ID, NAME, EMAIL, AGE, STATUS];

interface Change {
  name: string;
  old: SchemaText;
  new: SchemaText;
  /** Accepted at BACKWARD, FORWARD, FULL (NONE accepts everything). */
  expect: { backward: boolean; forward: boolean };
  /** The field a refusal must name (which side fails first depends on the direction checked). */
  field: RegExp;
}

const changes: Change[] = [
  { name: 'add a field with a default (optional)', old: user(base), new: user([...base, { name: 'phone', type: ['null', 'string'], default: null }]), expect: { backward: true, forward: true }, field: /"phone"/ },
  { name: 'add a field without a default (required)', old: user(base), new: user([...base, { name: 'phone', type: 'string' }]), expect: { backward: false, forward: true }, field: /"phone"/ },
  { name: 'delete a field that has a default', old: user(base), new: user([ID, NAME, AGE, STATUS]), expect: { backward: true, forward: true }, field: /"email"/ },
  { name: 'delete a field without a default', old: user(base), new: user([ID, EMAIL, AGE, STATUS]), expect: { backward: true, forward: false }, field: /"name"/ },
  { name: 'promote int to long', old: user(base), new: user([ID, NAME, EMAIL, { name: 'age', type: 'long' }, STATUS]), expect: { backward: true, forward: false }, field: /"age"/ },
  { name: 'narrow long to int', old: user([ID, NAME, EMAIL, { name: 'age', type: 'long' }, STATUS]), new: user(base), expect: { backward: false, forward: true }, field: /"age"/ },
  {
    name: 'rename a field, keeping the old name as an alias',
    old: user(base),
    new: user([ID, { name: 'full_name', type: 'string', aliases: ['name'] }, EMAIL, AGE, STATUS]),
    expect: { backward: true, forward: false },
    field: /"name"/,
  },
  { name: 'rename a field without an alias', old: user(base), new: user([ID, { name: 'full_name', type: 'string' }, EMAIL, AGE, STATUS]), expect: { backward: false, forward: false }, field: /"(full_name|name)"/ },
  { name: 'change a field\'s type (int to string)', old: user(base), new: user([ID, NAME, EMAIL, { name: 'age', type: 'string' }, STATUS]), expect: { backward: false, forward: false }, field: /"age"/ },
  { name: 'make a field nullable', old: user(base), new: user([ID, { name: 'name', type: ['null', 'string'], default: null }, EMAIL, AGE, STATUS]), expect: { backward: true, forward: false }, field: /"name"/ },
  {
    name: 'add an enum symbol',
    old: user(base),
    new: user([ID, NAME, EMAIL, AGE, { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['ACTIVE', 'BLOCKED', 'DELETED'] } }]),
    expect: { backward: true, forward: false },
    field: /"status"/,
  },
];

function expected(level: CompatibilityLevel, change: Change): boolean {
  const { backward, forward } = change.expect;
  if (level === 'NONE') return true;
  if (level.startsWith('BACKWARD')) return backward;
  if (level.startsWith('FORWARD')) return forward;
  return backward && forward;
}

describe('compatibility levels on the embedded registry', () => {
  let registry: Awaited<ReturnType<typeof memoryRegistry>>;
  let client: SchemaRegistryClient;
  let subjectNo = 0;
  beforeAll(async () => {
    registry = await memoryRegistry();
    client = new SchemaRegistryClient({ urls: [registry.url], clock: systemClock, logger: silentLogger });
  });
  afterAll(async () => {
    await registry.stop();
  });

  /** Registers the versions in order under a fresh subject at `level`; returns the last one's outcome. */
  async function evolve(level: CompatibilityLevel, versions: SchemaText[]): Promise<{ accepted: true } | { accepted: false; message: string }> {
    const subject = `matrix-${++subjectNo}-value`;
    await client.setCompatibility(subject, level);
    for (const v of versions.slice(0, -1)) await client.register(subject, v);
    try {
      await client.register(subject, versions[versions.length - 1] as SchemaText);
      return { accepted: true };
    } catch (err) {
      expect(err).toBeInstanceOf(RegistryError);
      expect((err as RegistryError).status).toBe(409);
      return { accepted: false, message: (err as Error).message };
    }
  }

  for (const change of changes) {
    it.each(COMPATIBILITY_LEVELS.map((l) => [l]))(`${change.name}: %s`, async (level) => {
      const outcome = await evolve(level, [change.old, change.new]);
      expect(outcome.accepted).toBe(expected(level, change));
      if (!outcome.accepted) expect(outcome.message).toMatch(change.field);
    });
  }

  describe('transitive levels check every earlier version, the others only the latest', () => {
    const v1 = user([ID]);
    const withDefault = user([ID, { name: 'name', type: 'string', default: 'x' }]);
    const required = user([ID, NAME]);

    it.each([
      ['BACKWARD', [v1, withDefault, required], true],
      ['BACKWARD_TRANSITIVE', [v1, withDefault, required], false],
      ['FORWARD', [required, withDefault, v1], true],
      ['FORWARD_TRANSITIVE', [required, withDefault, v1], false],
      ['FULL', [v1, withDefault, required], true],
      ['FULL_TRANSITIVE', [v1, withDefault, required], false],
    ] as const)('%s', async (level, versions, accepted) => {
      const outcome = await evolve(level, [...versions]);
      expect(outcome.accepted).toBe(accepted);
      if (!outcome.accepted) expect(outcome.message).toMatch(/version 1\b.*: field "name"/);
    });
  });

  it('answers the compatibility endpoint without registering', async () => {
    const subject = 'check-only-value';
    await client.register(subject, user(base));
    const refused = await client.testCompatibility(subject, user([...base, { name: 'phone', type: 'string' }]));
    expect(refused.compatible).toBe(false);
    expect(refused.messages.join()).toContain('"phone"');
    expect((await client.testCompatibility(subject, user([...base, { name: 'phone', type: 'string', default: '' }]))).compatible).toBe(true);
    expect(await client.version(subject, 'latest')).toMatchObject({ version: 1 });
  });

  it('refuses changing a subject from Avro to JSON Schema', async () => {
    const outcome = await evolve('BACKWARD', [user(base), { schemaType: 'JSON', schema: '{"type":"object"}' }]);
    expect(outcome).toMatchObject({ accepted: false, message: expect.stringContaining('JSON but version 1 is AVRO') });
  });

  describe('JSON Schema', () => {
    const object = (properties: Record<string, object>, required: string[], closed = false): SchemaText => ({
      schemaType: 'JSON',
      schema: JSON.stringify({ type: 'object', properties, required, ...(closed ? { additionalProperties: false } : {}) }),
    });
    const id = { type: 'integer' };
    const name = { type: 'string' };

    it.each([
      ['an optional property added', object({ id }, ['id']), object({ id, name }, ['id']), true],
      ['a required property added', object({ id }, ['id']), object({ id, name }, ['id', 'name']), false],
      ['a property removed from an open schema', object({ id, name }, ['id']), object({ id }, ['id']), true],
      ['a property removed from a closed schema', object({ id, name }, ['id'], true), object({ id }, ['id'], true), false],
      ['integer widened to number', object({ id }, ['id']), object({ id: { type: 'number' } }, ['id']), true],
      ['number narrowed to integer', object({ id: { type: 'number' } }, ['id']), object({ id }, ['id']), false],
      ['a property made non-nullable', object({ id, name: { oneOf: [{ type: 'null' }, name] } }, ['id']), object({ id, name }, ['id']), false],
    ] as const)('BACKWARD, %s', async (_what, old, next, accepted) => {
      const outcome = await evolve('BACKWARD', [old, next]);
      expect(outcome.accepted).toBe(accepted);
      if (!outcome.accepted) expect(outcome.message).toMatch(/"(name|id)"/);
    });
  });
});
