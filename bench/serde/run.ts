/**
 * Records/s of Tributary's serdes on a 20-column CDC row, each against the library or built-in doing
 * the same job with no framework, measured in the same run (see measure.ts) and printed as ours/peer:
 *
 *   avro encode/decode         avro serde (wire format, registry id cached)   vs  avsc alone (toBuffer/fromBuffer)
 *   json encode/decode         json serde (plain)                             vs  JSON.stringify / JSON.parse
 *   json-schema encode/decode  json-schema serde (wire format, Connect writer) vs  JSON.stringify / JSON.parse
 *
 * Usage: npx tsx bench/serde/run.ts [--records N] [--rounds N]
 */
import avro from 'avsc';
import { systemClock } from '../../src/sdk/clock.ts';
import { silentLogger } from '../../src/sdk/logger.ts';
import type { Deserializer, SerdeCallContext, SerdePlugin, Serializer } from '../../src/sdk/serde.ts';
import { connectToAvro } from '../../src/serde/avro-from-connect.ts';
import { avroSerde } from '../../src/serde/avro.ts';
import { jsonSchemaSerde } from '../../src/serde/json-schema.ts';
import { jsonSerde } from '../../src/serde/json.ts';
import { EmbeddedSchemaRegistry } from '../../src/serde/registry/embedded-registry.ts';
import { MemorySchemaLog } from '../../src/serde/registry/schema-log.ts';
import { cdcRow, cdcRowSchema, rawAvroRow } from './cdc-row.ts';
import { compare, type Side } from './measure.ts';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

const RECORDS = flag('--records', 100_000);
const ROUNDS = flag('--rounds', 5);
const DISTINCT = 1000;
const call: SerdeCallContext = { topic: 'bench.orders', isKey: false, headers: [] };
/** JSON Schema gets its own topic: a subject holds one schema type. */
const jsonCall: SerdeCallContext = { ...call, topic: 'bench.orders-json' };

const rows = Array.from({ length: DISTINCT }, (_, i) => cdcRow(i));
const rawRows = rows.map(rawAvroRow);

/** A serde built as the runtime builds it, against the benchmark's registry. */
function serde(plugin: SerdePlugin, config: Record<string, unknown>): { ser: Serializer; de: Deserializer } {
  const ctx = { config, isKey: false, pipeline: 'bench', logger: silentLogger, clock: systemClock };
  return { ser: plugin.createSerializer(ctx), de: plugin.createDeserializer(ctx) };
}

/** The serde's steady state is synchronous; a Promise here would mean the benchmark measures the registry. */
function sync<T>(value: T | Promise<T>): T {
  if (value instanceof Promise) throw new Error('serde answered asynchronously in steady state');
  return value;
}

async function main(): Promise<void> {
  const registry = await EmbeddedSchemaRegistry.start({ log: new MemorySchemaLog(), logger: silentLogger });
  try {
    const ours = {
      avro: serde(avroSerde, { registry: registry.url }),
      json: serde(jsonSerde, { schemas: false }),
      jsonSchema: serde(jsonSchemaSerde, { registry: registry.url }),
    };
    // Register schemas and fill caches before anything is timed.
    const encoded = {
      avro: await Promise.all(rows.map((r) => ours.avro.ser.serialize(r, cdcRowSchema, call) as Promise<Buffer> | Buffer)),
      json: rows.map((r) => sync(ours.json.ser.serialize(r, cdcRowSchema, call)) as Buffer),
      jsonSchema: await Promise.all(rows.map((r) => ours.jsonSchema.ser.serialize(r, cdcRowSchema, jsonCall) as Promise<Buffer> | Buffer)),
    };
    await ours.avro.de.deserialize(encoded.avro[0] as Buffer, call);
    await ours.jsonSchema.de.deserialize(encoded.jsonSchema[0] as Buffer, jsonCall);

    const avsc = avro.Type.forSchema(connectToAvro(cdcRowSchema, '') as Parameters<typeof avro.Type.forSchema>[0]);
    const avscBytes = rawRows.map((r) => avsc.toBuffer(r));
    // Same schema, same values: the Avro body after our 5-byte header must be avsc's bytes exactly.
    encoded.avro.forEach((b, i) => {
      if (!(b as Buffer).subarray(5).equals(avscBytes[i] as Buffer)) throw new Error(`row ${i}: our Avro body differs from avsc's`);
    });
    const jsonText = rows.map((r) => Buffer.from(JSON.stringify(r)));

    const at = (i: number): number => i % DISTINCT;
    const cases: Array<[string, Side, Side]> = [
      ['avro encode', { name: 'avro serde', run: (i) => sync(ours.avro.ser.serialize(rows[at(i)], cdcRowSchema, call)) }, { name: 'avsc toBuffer', run: (i) => avsc.toBuffer(rawRows[at(i)]) }],
      ['avro decode', { name: 'avro serde', run: (i) => sync(ours.avro.de.deserialize(encoded.avro[at(i)] as Buffer, call)) }, { name: 'avsc fromBuffer', run: (i) => avsc.fromBuffer(avscBytes[at(i)] as Buffer) }],
      ['json encode', { name: 'json serde', run: (i) => sync(ours.json.ser.serialize(rows[at(i)], cdcRowSchema, call)) }, { name: 'JSON.stringify', run: (i) => Buffer.from(JSON.stringify(rows[at(i)])) }],
      ['json decode', { name: 'json serde', run: (i) => sync(ours.json.de.deserialize(encoded.json[at(i)] as Buffer, call)) }, { name: 'JSON.parse', run: (i) => JSON.parse((jsonText[at(i)] as Buffer).toString()) }],
      [
        'json-schema encode',
        { name: 'json-schema serde', run: (i) => sync(ours.jsonSchema.ser.serialize(rows[at(i)], cdcRowSchema, jsonCall)) },
        { name: 'JSON.stringify', run: (i) => Buffer.from(JSON.stringify(rows[at(i)])) },
      ],
      [
        'json-schema decode',
        { name: 'json-schema serde', run: (i) => sync(ours.jsonSchema.de.deserialize(encoded.jsonSchema[at(i)] as Buffer, jsonCall)) },
        { name: 'JSON.parse', run: (i) => JSON.parse((jsonText[at(i)] as Buffer).toString()) },
      ],
    ];

    console.log(`serde benchmark: 20-column CDC row, ${RECORDS} records x ${ROUNDS} rounds per side, best round, node ${process.version}`);
    console.log(`avro record ${avscBytes[1]?.length ?? 0} B (+5 B header), json ${jsonText[1]?.length ?? 0} B`);
    console.log('');
    console.log(`${'case'.padEnd(20)}${'ours rec/s'.padStart(12)}  ${'peer'.padEnd(18)}${'peer rec/s'.padStart(12)}${'ours/peer'.padStart(11)}`);
    for (const [name, mine, peer] of cases) {
      const r = compare(mine, peer, { records: RECORDS, rounds: ROUNDS, warmup: Math.min(RECORDS, 20_000) });
      console.log(`${name.padEnd(20)}${Math.round(r.ours).toLocaleString('en-US').padStart(12)}  ${peer.name.padEnd(18)}${Math.round(r.peer).toLocaleString('en-US').padStart(12)}${(r.ours / r.peer).toFixed(2).padStart(11)}`);
    }
  } finally {
    await registry.stop();
  }
}

await main();
