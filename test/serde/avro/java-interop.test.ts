import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AvroSchema } from '../../../src/serde/avro-from-connect.ts';
import { avroType, plainAvroType } from '../../../src/serde/avro-types.ts';
import { avroResolutionIssue } from '../../../src/serde/registry/avro-compatibility.ts';

/**
 * The avro serde and the registry's compatibility check against Apache Avro's Java library, the
 * one Confluent's serializers and registry use. Fixtures and their generator: ./fixtures/README.md.
 */
const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

interface Case {
  name: string;
  reader: AvroSchema;
  writer: AvroSchema;
}

interface JavaVerdict {
  name: string;
  compatible: boolean;
  /** Java's first incompatibility, e.g. `READER_FIELD_MISSING_DEFAULT_VALUE at /fields/5`. */
  java: string;
}

describe('compatibility agrees with Avro for Java (SchemaCompatibility)', () => {
  const cases = JSON.parse(fixture('compatibility-cases.json')) as Case[];
  const verdicts = new Map((JSON.parse(fixture('compatibility-java.json')) as JavaVerdict[]).map((v) => [v.name, v]));

  it('has a Java verdict for every case', () => {
    expect(cases.length).toBeGreaterThan(30);
    expect(cases.every((c) => verdicts.has(c.name))).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const verdict = verdicts.get(c.name) as JavaVerdict;
    const issue = avroResolutionIssue(plainAvroType(c.reader), plainAvroType(c.writer), { reader: 'reader', writer: 'writer' });
    expect(issue === undefined).toBe(verdict.compatible);
    // Where Java points at a top-level field of the reader, our message names that field.
    const at = /^\S+ at \/fields\/(\d+)/.exec(verdict.java);
    if (at !== null && typeof c.reader === 'object' && !Array.isArray(c.reader)) {
      const field = (c.reader.fields as Array<{ name: string }>)[Number(at[1])]?.name;
      expect(issue).toContain(`"${field}`);
    }
  });
});

describe('Avro binary agrees with Avro for Java (GenericDatumWriter with logical type conversions)', () => {
  const schema = JSON.parse(fixture('logical-types.avsc')) as AvroSchema;
  const type = avroType(schema);
  const [full, empty] = fixture('logical-types.hex')
    .trim()
    .split('\n')
    .map((hex) => Buffer.from(hex, 'hex'));

  const fullValue = {
    price: '1234.50',
    negative: '-98765432109876543210.1234',
    fixed_price: '-12345678.901',
    day: new Date('1969-07-20T00:00:00Z'),
    at: new Date('1970-01-01T13:45:30.250Z'),
    at_us: 49_530_250_123,
    ts: new Date('2024-02-29T13:45:30.250Z'),
    ts_us: 1_709_214_330_250_123,
    big: 9223372036854775807n,
    small: -9223372036854775808n,
    maybe: 'x',
    maybe_big: 9007199254740993n,
    status: 'OFF',
    tags: ['a', 'b'],
    attrs: { k: 1, j: -2 },
    blob: Buffer.from([0, 255]),
    f: 1.5,
    d: -0.1,
    flag: true,
  };
  const emptyValue = {
    price: '0.00',
    negative: '0.0000',
    fixed_price: '0.000',
    day: new Date(0),
    at: new Date(0),
    at_us: 0,
    ts: new Date(0),
    ts_us: 0,
    big: 0,
    small: -1,
    maybe: null,
    maybe_big: null,
    status: 'ON',
    tags: [],
    attrs: {},
    blob: Buffer.alloc(0),
    f: 0,
    d: 0,
    flag: false,
  };

  it.each([
    ['values at the edges', () => full, fullValue],
    ['zeros, empties and nulls', () => empty, emptyValue],
  ] as const)('%s: decodes Java\'s bytes to Tributary\'s values, and encodes them to the same bytes', (_what, bytes, value) => {
    expect({ ...type.fromBuffer(bytes() as Buffer) }).toEqual(value);
    expect(type.toBuffer(value).toString('hex')).toBe((bytes() as Buffer).toString('hex'));
  });
});
