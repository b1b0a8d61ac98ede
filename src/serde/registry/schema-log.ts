import type { SchemaLogRecord } from './schema-state.ts';

/**
 * Where the embedded registry keeps its records: an append-only log every registry instance reads
 * from the beginning and then follows. Production uses a compacted Kafka topic (kafka-schema-log.ts);
 * tests and benchmarks use {@link MemorySchemaLog}.
 *
 * Call order: `start`, then any number of `catchUp` / `append` (never concurrently with `start`),
 * then `stop` (safe twice).
 */
export interface SchemaLog {
  /**
   * Begins reading. `apply` receives every record in log order, from the first, and then each one
   * appended later by anyone. Resolves once every record that existed when it was called is applied.
   */
  start(apply: (record: SchemaLogRecord) => void): Promise<void>;
  /** Resolves once every record appended before the call, by any writer, has been applied. */
  catchUp(): Promise<void>;
  /** Appends the records and resolves once they have been applied (in order, after everything before them). */
  append(records: SchemaLogRecord[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A log in memory. Registries given the same `records` array share it, as processes share a topic,
 * so a test can stop one registry and start another on the same log to check what survives.
 */
export class MemorySchemaLog implements SchemaLog {
  private apply: ((record: SchemaLogRecord) => void) | undefined;
  private applied = 0;

  constructor(private readonly records: SchemaLogRecord[] = []) {}

  async start(apply: (record: SchemaLogRecord) => void): Promise<void> {
    this.apply = apply;
    this.applied = 0;
    await this.catchUp();
  }

  async catchUp(): Promise<void> {
    const apply = this.apply;
    if (apply === undefined) throw new Error('schema log read before start()');
    while (this.applied < this.records.length) apply(this.records[this.applied++] as SchemaLogRecord);
  }

  async append(records: SchemaLogRecord[]): Promise<void> {
    this.records.push(...records);
    await this.catchUp();
  }

  async stop(): Promise<void> {
    this.apply = undefined;
  }
}
