import { Writable } from 'node:stream';
import type { Connection } from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/builtins.ts';
import { createKafkaClient, type KafkaClient } from '../../../src/kafka/index.ts';
import { loadPipelineFile } from '../../../src/pipeline/load.ts';
import { PipelineRunner } from '../../../src/runtime/pipeline-runner.ts';
import { silentLogger, systemClock } from '../../../src/sdk/index.ts';
import { SchemaRegistryClient } from '../../../src/serde/registry/client.ts';
import { EmbeddedSchemaRegistry } from '../../../src/serde/registry/embedded-registry.ts';
import { KafkaSchemaLog } from '../../../src/serde/registry/kafka-schema-log.ts';
import { TORTURE_COLUMNS, TORTURE_ROWS, tortureCreateTable, tortureInsert, type TortureColumn } from '../../connectors/mysql-binlog/torture-table.ts';
import { streamLogger } from '../../harness/logger.ts';
import { useMariaDb } from '../../harness/mariadb.ts';
import { createDatabase, type PostgresDatabase } from '../../harness/postgres.ts';
import { readTopic, waitFor } from '../exactly-once/support.ts';
import { tempDir, writePipeline } from '../runtime/support.ts';
import { uniqueDatabase } from '../mysql-binlog/support.ts';
import { tortureSession } from '../mysql-binlog/torture-round-trip.ts';

/**
 * CDC type round-trip through Avro: the type-torture table (test/connectors/mysql-binlog/torture-table.ts)
 * goes MariaDB -> mysql-binlog (Debezium envelopes, snapshot and binlog) -> Avro with the schema
 * derived from the source's Connect schema, registered in the embedded registry -> Kafka ->
 * PostgreSQL sink (exactly-once, upsert, auto-created table). PostgreSQL must then equal MariaDB
 * row by row and column by column.
 *
 * Both sides are read as text and brought to one canonical form per kind of column (see KINDS); the
 * only values that are expected to differ are MySQL's zero and partial-zero dates (`0000-00-00`,
 * `2024-00-15 ...`), which have no instant and arrive in PostgreSQL as NULL (Debezium sends null),
 * and the NUL character in text, which PostgreSQL text cannot hold: the sink runs with
 * `nulInText: strip`, so `'\0nul'` arrives as `'nul'` (the default, `refuse`, dead-letters the row).
 */

const db = useMariaDb();
beforeAll(db.start);
afterAll(db.stop);

/** How a column is read on each side and brought to canonical text. */
interface Kind {
  /** SQL expression reading the MariaDB column `c` as text (session time_zone +00:00). */
  mysql: (c: string) => string;
  /** SQL expression reading the PostgreSQL column `c` as text (session TimeZone UTC, IntervalStyle postgres). */
  pg: (c: string) => string;
  /** The PostgreSQL column type the auto-created table must have (information_schema data type, with modifiers). */
  pgType: (col: TortureColumn) => string;
  /** Canonical form of a text read by `mysql` or `pg`. */
  canonical: (text: string) => string;
  /** The value PostgreSQL must hold for a MariaDB value (canonical): the same, unless it cannot exist there. */
  expected?: (canonicalSource: string) => string | null;
}

const same = (t: string): string => t;
/** Drops trailing zeros of a fraction of seconds (`.500` -> `.5`, `.000` -> ``): PostgreSQL prints the shortest form. */
const trimFraction = (t: string): string => t.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
/** MySQL zero and partial-zero dates (a 00 month or day) have no instant: Debezium sends null, PostgreSQL holds NULL. */
const zeroDateToNull = (t: string): string | null => (/^\d{4}-(00-\d{2}|\d{2}-00)/.test(t) ? null : t);
/** PostgreSQL text cannot hold U+0000; the sink runs with `nulInText: strip`, so the character is dropped and the rest kept. */
const withoutNul = (t: string): string => t.replaceAll('\u0000', '');
/** Shortest text of the double (for FLOAT: of the float, widened exactly); negative zero as 0, since MariaDB's SELECT prints -0 as 0. */
const floatText = (t: string): string => {
  const n = Number(t);
  return Object.is(n, -0) ? '0' : String(n);
};
/** A bit string without leading zeros (MariaDB's BIN() drops them, PostgreSQL's bit(n) keeps n digits). */
const bits = (t: string): string => t.replace(/^0+(?=.)/, '');

const DECIMAL_TYPE = /^DECIMAL\((\d+),(\d+)\)/;

/** Every torture column gets exactly one kind; a column type not listed here fails the test. */
function kindOf(col: TortureColumn): Kind {
  const type = col.type.toUpperCase();
  const decimal = DECIMAL_TYPE.exec(type);
  if (decimal !== null) return { mysql: (c) => `CAST(${c} AS CHAR)`, pg: (c) => `${c}::text`, pgType: () => `numeric(${decimal[1]},${decimal[2]})`, canonical: same };
  if (type === 'BIGINT UNSIGNED') return { mysql: (c) => `CAST(${c} AS CHAR)`, pg: (c) => `${c}::text`, pgType: () => 'numeric(20,0)', canonical: same };
  if (/^(TINYINT|SMALLINT|MEDIUMINT|INT|BIGINT)( UNSIGNED)?$/.test(type)) {
    const width: Record<string, string> = { TINYINT: 'smallint', 'TINYINT UNSIGNED': 'smallint', SMALLINT: 'smallint', 'SMALLINT UNSIGNED': 'integer', MEDIUMINT: 'integer', 'MEDIUMINT UNSIGNED': 'integer', INT: 'integer', 'INT UNSIGNED': 'bigint', BIGINT: 'bigint' };
    return { mysql: (c) => `CAST(${c} AS CHAR)`, pg: (c) => `${c}::text`, pgType: () => width[type] ?? '?', canonical: same };
  }
  // FLOAT is widened to DOUBLE exactly on both sides, so no digits are lost to MariaDB's 6-digit FLOAT rendering.
  if (type === 'FLOAT') return { mysql: (c) => `CAST(${c} AS DOUBLE)`, pg: (c) => `${c}::float8::text`, pgType: () => 'real', canonical: floatText };
  if (type === 'DOUBLE') return { mysql: (c) => `CAST(${c} AS DOUBLE)`, pg: (c) => `${c}::text`, pgType: () => 'double precision', canonical: floatText };
  if (type === 'BIT(1)') return { mysql: (c) => `BIN(${c} + 0)`, pg: (c) => `CASE WHEN ${c} THEN '1' ELSE '0' END`, pgType: () => 'boolean', canonical: same };
  const bit = /^BIT\((\d+)\)$/.exec(type);
  if (bit !== null) return { mysql: (c) => `BIN(${c} + 0)`, pg: (c) => `${c}::text`, pgType: () => `bit(${bit[1]})`, canonical: bits };
  if (type === 'YEAR') return { mysql: (c) => `CAST(${c} + 0 AS CHAR)`, pg: (c) => `${c}::text`, pgType: () => 'integer', canonical: same };
  if (type === 'DATE') return { mysql: (c) => `CAST(${c} AS CHAR)`, pg: (c) => `${c}::text`, pgType: () => 'date', canonical: same, expected: zeroDateToNull };
  // MySQL TIME is a signed duration up to 838:59:59.999999, so it lands in an interval (hours not folded into days).
  if (/^TIME(\(\d\))?$/.test(type)) return { mysql: (c) => `CAST(${c} AS CHAR)`, pg: (c) => `${c}::text`, pgType: () => 'interval', canonical: trimFraction };
  if (/^DATETIME(\(\d\))?$/.test(type)) return { mysql: (c) => `CAST(${c} AS CHAR)`, pg: (c) => `${c}::text`, pgType: () => 'timestamp without time zone', canonical: trimFraction, expected: zeroDateToNull };
  if (/^TIMESTAMP(\(\d\))? NULL$/.test(type)) {
    return { mysql: (c) => `CAST(${c} AS CHAR)`, pg: (c) => `(${c} AT TIME ZONE 'UTC')::text`, pgType: () => 'timestamp with time zone', canonical: trimFraction, expected: zeroDateToNull };
  }
  if (/^(CHAR|VARCHAR)\(\d+\)( CHARACTER SET LATIN1)?$|^(TINY|MEDIUM|LONG)?TEXT$|^ENUM\(|^SET\(/.test(type)) return { mysql: (c) => c, pg: (c) => c, pgType: () => 'text', canonical: same, expected: withoutNul };
  if (/^(BINARY|VARBINARY)\(\d+\)$|^(LONG)?BLOB$/.test(type)) return { mysql: (c) => `HEX(${c})`, pg: (c) => `upper(encode(${c}, 'hex'))`, pgType: () => 'bytea', canonical: same };
  // MariaDB's JSON is LONGTEXT with a json_valid() check: catalog and binlog say longtext, so it is a
  // plain string in the Debezium schema and text in PostgreSQL, compared exactly. (MySQL's own JSON
  // type is io.debezium.data.Json and becomes jsonb.)
  if (type === 'JSON') return { mysql: (c) => c, pg: (c) => `${c}::text`, pgType: () => 'text', canonical: same };
  // Geometry is Debezium's struct {wkb, srid}, a jsonb object with the WKB in base64: compared as `srid:WKB hex`.
  if (type === 'GEOMETRY' || type === 'POINT') {
    return {
      mysql: (c) => `CONCAT(ST_SRID(${c}), ':', HEX(ST_AsWKB(${c})))`,
      pg: (c) => `(${c}->>'srid') || ':' || upper(encode(decode(${c}->>'wkb', 'base64'), 'hex'))`,
      pgType: () => 'jsonb',
      canonical: same,
    };
  }
  throw new Error(`torture column ${col.name} ${col.type}: no comparison defined for this type`);
}

const COLUMNS = TORTURE_COLUMNS.map((col) => ({ col, kind: kindOf(col) }));

type TextRow = Map<string, string | null>;

async function mysqlRows(conn: Connection, database: string): Promise<Map<number, TextRow>> {
  const [rows] = await conn.query({
    sql: `SELECT id, ${COLUMNS.map(({ col, kind }) => kind.mysql(`\`${col.name}\``)).join(', ')} FROM \`${database}\`.torture ORDER BY id`,
    rowsAsArray: true,
    typeCast: (field) => field.buffer(),
  });
  return textRows(rows as Array<Array<Buffer | null>>);
}

async function pgRows(client: pg.Client): Promise<Map<number, TextRow>> {
  const res = await client.query<string[]>({
    text: `SELECT id::text, ${COLUMNS.map(({ col, kind }) => kind.pg(`"${col.name}"`)).join(', ')} FROM public.torture ORDER BY id`,
    rowMode: 'array',
  });
  return textRows(res.rows.map((r) => r.map((v) => (v === null ? null : Buffer.from(String(v), 'utf8')))));
}

function textRows(rows: Array<Array<Buffer | null>>): Map<number, TextRow> {
  const out = new Map<number, TextRow>();
  for (const r of rows) {
    const row: TextRow = new Map();
    COLUMNS.forEach(({ col, kind }, i) => {
      const raw = r[i + 1];
      row.set(col.name, raw === null || raw === undefined ? null : kind.canonical(raw.toString('utf8')));
    });
    out.set(Number((r[0] as Buffer).toString()), row);
  }
  return out;
}

const show = (v: string | null | undefined): string => (v === null || v === undefined ? 'NULL' : JSON.stringify(v.length > 120 ? `${v.slice(0, 120)}...(${v.length} chars)` : v));

/** Every difference between the two tables: missing or extra rows, and each cell whose canonical text differs. */
function differences(source: Map<number, TextRow>, target: Map<number, TextRow>): string[] {
  const problems: string[] = [];
  for (const id of target.keys()) if (!source.has(id)) problems.push(`row ${id}: in PostgreSQL but not in MariaDB`);
  for (const [id, src] of source) {
    const dst = target.get(id);
    if (dst === undefined) {
      problems.push(`row ${id}: missing in PostgreSQL`);
      continue;
    }
    for (const { col, kind } of COLUMNS) {
      const value = src.get(col.name) ?? null;
      const want = value === null ? null : kind.expected !== undefined ? kind.expected(value) : value;
      const got = dst.get(col.name) ?? null;
      if (want !== got) problems.push(`column ${col.name} (${col.type}), row ${id}: MariaDB ${show(value)}${want !== value ? ` (expected as ${show(want)})` : ''}, PostgreSQL ${show(got)}`);
    }
  }
  return problems;
}

/** Row 3 of TORTURE_ROWS holds the zero dates; the rows are numbered from 1 (snapshot) and 101 (binlog). */
const ZERO_ROW = 3;

describe('MariaDB type torture -> Debezium -> Avro -> PostgreSQL', () => {
  const brokers = inject('kafkaBrokers');
  let pgdb: PostgresDatabase;
  let kafka: KafkaClient;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    pgdb = await createDatabase('tributary_avro_pg');
    kafka = createKafkaClient({ brokers }, { logger: silentLogger, clientId: 'mysql-avro-to-postgres-test' });
    dir = await tempDir('tributary-mysql-avro-pg');
  });
  afterAll(async () => {
    await pgdb?.drop();
    await dir?.cleanup();
  });

  it('every torture column, read by the snapshot and from the binlog, updated and deleted, equals the source in PostgreSQL', async () => {
    const database = uniqueDatabase('avro_torture');
    await db.server.query(`CREATE DATABASE \`${database}\``);
    const conn = await tortureSession(db.server, database);
    const target = new pg.Client({ connectionString: pgdb.url });
    await target.connect();
    await target.query("SET TimeZone = 'UTC'; SET IntervalStyle = 'postgres'; SET DateStyle = 'ISO, MDY'; SET extra_float_digits = 1");
    try {
      await conn.query(tortureCreateTable(database));
      const snapshotIds = TORTURE_ROWS.map((_, i) => i + 1);
      const binlogIds = TORTURE_ROWS.map((_, i) => i + 101);
      for (const [i, row] of TORTURE_ROWS.entries()) await conn.query(tortureInsert(database, 'torture', snapshotIds[i] as number, row));

      const name = `mysql-avro-pg-${database}`.replace(/_/g, '-');
      const topic = `${name}.torture`;
      const dlq = `${name}.dlq`;
      const file = await writePipeline(
        dir.path,
        name,
        `name: ${name}
kafka: { brokers: [${brokers.join(', ')}] }
source:
  connector: mysql-binlog
  config:
    host: ${db.server.host}
    port: ${db.server.port}
    user: ${db.server.user}
    password: "${db.server.password}"
    serverId: ${3000 + Math.floor(Math.random() * 1000)}
    include: ['${database}\\.torture']
    snapshot: initial
    format: debezium
    name: torture
    topic: ${topic}
topic: { name: ${topic}, partitions: 1 }
serializer: { format: avro }
keySerializer: { format: avro }
errors: { tolerance: all, deadLetterTopic: ${dlq} }
sinks:
  - name: pg
    connector: postgres
    delivery: exactly-once
    topics: [${topic}]
    config: { url: "${pgdb.url}", table: torture, mode: upsert, autoCreate: true, nulInText: strip }
`,
      );
      const registry = createBuiltinRegistry();
      const { spec, errors } = await loadPipelineFile(file, { env: {}, registry });
      expect(errors).toEqual([]);
      if (spec === undefined) throw new Error('no spec');
      // Warnings and errors of the pipeline are kept, to explain a timeout.
      const logLines: string[] = [];
      const logStream = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString().slice(0, 2000));
          done();
        },
      });
      const runner = new PipelineRunner({ spec, registry, client: kafka, logger: streamLogger('pipeline', logStream), clock: systemClock, role: 'all', exitWhenDone: false, progressIntervalMs: 60_000 });
      const stop = new AbortController();
      const running = runner.run(stop.signal);
      let failed: unknown;
      running.catch((err: unknown) => {
        failed = err;
      });
      const ids = async (): Promise<string> => {
        try {
          lastIds = (await target.query<{ id: number }>('SELECT id FROM public.torture ORDER BY id')).rows.map((r) => r.id).join(',');
          return lastIds;
        } catch {
          lastIds = 'no table';
          return lastIds;
        }
      };
      let lastIds = '';
      const explain = (): string => `PostgreSQL ids: ${lastIds}\n${failed === undefined ? '' : `pipeline failed: ${String(failed)}\n`}${logLines.filter((l) => /WARN|ERROR/.test(l)).slice(-20).join('')}`;
      let source: Map<number, TextRow>;
      try {
        await waitFor('the snapshot in PostgreSQL', async () => failed !== undefined || (await ids()) === snapshotIds.join(','), 90_000, explain);
        expect(failed).toBeUndefined();

        // Streaming: the same rows again under new ids, then updates (a NULL row filled with maximums,
        // a streamed row set to minimums, a key change) and deletes, and a last row as the end marker.
        for (const [i, row] of TORTURE_ROWS.entries()) await conn.query(tortureInsert(database, 'torture', binlogIds[i] as number, row));
        const assignments = (row: Record<string, string>): string => TORTURE_COLUMNS.map((c) => `\`${c.name}\` = ${row[c.name] ?? 'NULL'}`).join(', ');
        await conn.query(`UPDATE torture SET ${assignments(TORTURE_ROWS[1] as Record<string, string>)} WHERE id = 5`);
        await conn.query(`UPDATE torture SET ${assignments(TORTURE_ROWS[0] as Record<string, string>)} WHERE id = 104`);
        await conn.query(`UPDATE torture SET ${assignments(TORTURE_ROWS[2] as Record<string, string>)} WHERE id = 1`);
        await conn.query('UPDATE torture SET id = 200 WHERE id = 102');
        await conn.query('DELETE FROM torture WHERE id IN (2, 105)');
        await conn.query(tortureInsert(database, 'torture', 999, TORTURE_ROWS[3] as Record<string, string>));

        source = await mysqlRows(conn, database);
        const want = [...source.keys()].join(',');
        expect(want).toBe('1,3,4,5,101,103,104,200,999');
        await waitFor('the changes in PostgreSQL', async () => failed !== undefined || (await ids()) === want, 90_000, explain);
        expect(failed).toBeUndefined();
      } finally {
        stop.abort();
        await running.catch(() => undefined);
      }

      // Row by row, column by column.
      const copied = await pgRows(target);
      expect(differences(source, copied)).toEqual([]);
      // The comparison sees what it must: the zero row arrived with NULL dates, the maximum row with its exact extremes.
      for (const id of [ZERO_ROW, ZERO_ROW + 100]) {
        expect(source.get(id)?.get('dt')).toBe('0000-00-00');
        expect(copied.get(id)?.get('dt')).toBeNull();
        expect(copied.get(id)?.get('dt0')).toBeNull();
        expect(copied.get(id)?.get('dt1')).toBeNull();
        expect(copied.get(id)?.get('ts0')).toBeNull();
        expect(copied.get(id)?.get('dt4')).toBe('2024-02-29 12:34:56.7891');
        expect(source.get(id)?.get('ttx')).toBe('\u0000nul');
        expect(copied.get(id)?.get('ttx')).toBe('nul');
      }
      expect(copied.get(200)?.get('u64')).toBe('18446744073709551615');
      expect(copied.get(200)?.get('d65')).toBe('99999999999999999999999999999999999.999999999999999999999999999999');
      expect(copied.get(5)?.get('t0')).toBe('838:59:59');
      expect(copied.get(1)?.get('t6')).toBe('-00:00:00.000001');
      expect(copied.get(4)?.get('b64')).toBe('1');
      expect(copied.get(5)?.get('b64')).toBe('1'.repeat(64));
      // Row 5 was the all-NULL row, updated to the maximums: every column must now hold a value.
      expect(countNonNull(copied.get(5))).toBe(TORTURE_COLUMNS.length);

      // The auto-created table has the declared type for every column.
      const types = new Map(
        (
          await target.query<{ column_name: string; type: string }>(
            "SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a WHERE a.attrelid = 'public.torture'::regclass AND a.attnum > 0 AND NOT a.attisdropped",
          )
        ).rows.map((r) => [r.column_name, r.type]),
      );
      expect(Object.fromEntries(COLUMNS.map(({ col }) => [col.name, types.get(col.name)]))).toEqual(Object.fromEntries(COLUMNS.map(({ col, kind }) => [col.name, kind.pgType(col)])));

      // Nothing was refused on the way.
      expect(await readTopic(kafka, dlq, { timeoutMs: 3000 }).catch(() => [])).toEqual([]);

      await expectRegisteredSchema(kafka, `${topic}-value`);
    } finally {
      await target.end();
      await conn.end();
    }
  });
});

function countNonNull(row: TextRow | undefined): number {
  return [...(row?.values() ?? [])].filter((v) => v !== null).length;
}

/**
 * The Avro schema the serializer registered for the table: the Debezium envelope, whose row record
 * carries decimals with their precision and scale, date / time-micros / timestamp-millis /
 * timestamp-micros logical types, and `["null", T]` with default null for every nullable column.
 */
async function expectRegisteredSchema(kafka: KafkaClient, subject: string): Promise<void> {
  const registry = await EmbeddedSchemaRegistry.start({ log: new KafkaSchemaLog({ client: kafka, logger: silentLogger, clock: systemClock }), logger: silentLogger });
  try {
    const version = await new SchemaRegistryClient({ urls: [registry.url], clock: systemClock, logger: silentLogger }).version(subject, 'latest');
    interface AvroField {
      name: string;
      type: unknown;
      default?: unknown;
    }
    const envelope = JSON.parse(version.schema) as { name: string; fields: AvroField[] };
    expect(envelope.name).toMatch(/\.Envelope$/);
    const before = envelope.fields.find((f) => f.name === 'before');
    expect(before?.default).toBeNull();
    const [nullBranch, row] = before?.type as [unknown, { type: string; name: string; fields: AvroField[] }];
    expect(nullBranch).toBe('null');
    expect(row.type).toBe('record');
    expect(envelope.fields.find((f) => f.name === 'after')?.type).toEqual(['null', row.name]);
    const fields = new Map(row.fields.map((f) => [f.name, f]));
    expect(fields.get('id')?.type).toBe('int');
    const decimal = (precision: number, scale: number) => ({ type: 'bytes', logicalType: 'decimal', precision, scale });
    const expected: Record<string, Record<string, unknown>> = {
      i8: { type: 'int', 'connect.type': 'int16' },
      u16: { type: 'int' },
      u32: { type: 'long' },
      i64: { type: 'long' },
      u64: decimal(20, 0),
      f32: { type: 'float' },
      f64: { type: 'double' },
      d65: decimal(65, 30),
      d10: decimal(10, 2),
      d18: decimal(18, 9),
      d5: decimal(5, 0),
      b1: { type: 'boolean' },
      b13: { type: 'bytes', 'connect.name': 'io.debezium.data.Bits', 'connect.parameters': { length: '13' } },
      yr: { type: 'int', 'connect.name': 'io.debezium.time.Year' },
      dt: { type: 'int', logicalType: 'date', 'connect.name': 'io.debezium.time.Date' },
      t0: { type: 'long', logicalType: 'time-micros' },
      t6: { type: 'long', logicalType: 'time-micros' },
      dt0: { type: 'long', logicalType: 'timestamp-millis', 'connect.name': 'io.debezium.time.Timestamp' },
      dt1: { type: 'long', logicalType: 'timestamp-millis' },
      dt4: { type: 'long', logicalType: 'timestamp-micros', 'connect.name': 'io.debezium.time.MicroTimestamp' },
      dt6: { type: 'long', logicalType: 'timestamp-micros' },
      ts6: { type: 'string', 'connect.name': 'io.debezium.time.ZonedTimestamp' },
      en: { type: 'string', 'connect.name': 'io.debezium.data.Enum', 'connect.parameters': { allowed: "a,b,c'q" } },
      st: { type: 'string', 'connect.name': 'io.debezium.data.EnumSet' },
      js: { type: 'string' }, // MariaDB: LONGTEXT (see kindOf)
      geo: { type: 'record', name: 'io.debezium.data.geometry.Geometry' },
    };
    for (const col of TORTURE_COLUMNS) {
      const field = fields.get(col.name);
      // Every torture column is nullable: ["null", T] with default null.
      expect(field?.default, col.name).toBeNull();
      const union = field?.type as unknown[];
      expect(Array.isArray(union) && union.length === 2 && union[0] === 'null', `${col.name}: ${JSON.stringify(field?.type)}`).toBe(true);
      const inner = union[1];
      const want = expected[col.name];
      if (want !== undefined) expect(typeof inner === 'string' ? { type: inner } : inner, col.name).toMatchObject(want);
    }
  } finally {
    await registry.stop();
  }
}
