import type { Schema } from '../../src/sdk/index.ts';
import type { DatagenConfig, DatagenKind } from './config.ts';

/**
 * A record shape: its value schema and a generator. Invariant: `generate` is a pure function of
 * (config.seed, id) and the shape's own options; it never reads a clock or shared state.
 */
export interface Shape {
  kind: DatagenKind;
  valueSchema: Schema;
  generate(id: number, config: Required<DatagenConfig>): Record<string, unknown>;
}

/** Kafka Connect's logical type for milliseconds since the epoch on an int64. */
export const TIMESTAMP_LOGICAL = 'org.apache.kafka.connect.data.Timestamp';

/**
 * Generated timestamps are deterministic, not read from a clock: 2024-01-01T00:00:00Z plus about a
 * minute per id, with jitter within that minute, so they rise with the id.
 */
export const GENERATED_EPOCH_MS = Date.UTC(2024, 0, 1);
export const MS_PER_ID = 60_000;
