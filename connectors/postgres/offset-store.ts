import type { PoolClient } from 'pg';
import type { PartitionOffset, TopicPartition } from '../../src/sdk/index.ts';
import { qualified } from './identifier.ts';

/**
 * The consumed positions, stored in the target database next to the rows:
 *
 *   "<schema>"."<offsetsTable>"(group_id, topic, partition, next_offset, owner_epoch, updated_at)
 *   PRIMARY KEY (group_id, topic, partition)
 *
 * Invariants:
 * - `next_offset` changes only inside the transaction that writes the rows of the records before it
 *   (see `advance`), so rows and position commit or vanish together: exactly once.
 * - Each `claim` (on partition assignment) increments `owner_epoch`; `advance` updates only while
 *   the epoch is still the claimant's. A worker that lost its partitions in a rebalance but still
 *   has a batch in flight (a zombie) is fenced: its transaction writes nothing, and because
 *   `advance` runs first and locks the row, a new owner's `claim` waits for an in-flight zombie
 *   transaction to finish and then reads the position it committed.
 */
export class OffsetStore {
  private readonly table: string;

  constructor(
    schema: string,
    offsetsTable: string,
    private readonly group: string,
  ) {
    this.table = qualified(schema, offsetsTable);
  }

  createTableSql(): string {
    return `CREATE TABLE IF NOT EXISTS ${this.table} (
      group_id text NOT NULL,
      topic text NOT NULL,
      partition integer NOT NULL,
      next_offset bigint,
      owner_epoch bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (group_id, topic, partition))`;
  }

  /**
   * Takes ownership of the partitions (one statement, so atomically for all of them) and returns
   * the stored positions (partitions never written have none) and the epoch to write under.
   */
  async claim(client: PoolClient, partitions: TopicPartition[]): Promise<Array<TopicPartition & { offset: string | null; epoch: string }>> {
    if (partitions.length === 0) return [];
    // Sorted, so concurrent claims lock rows in the same order and cannot deadlock each other.
    const sorted = [...partitions].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
    const result = await client.query<{ topic: string; partition: number; next_offset: string | null; owner_epoch: string }>(
      `INSERT INTO ${this.table} AS o (group_id, topic, partition, next_offset, owner_epoch)
       SELECT $1, u.topic, u.partition, NULL, 1 FROM unnest($2::text[], $3::int[]) AS u(topic, partition)
       ON CONFLICT (group_id, topic, partition) DO UPDATE SET owner_epoch = o.owner_epoch + 1, updated_at = now()
       RETURNING o.topic, o.partition, o.next_offset, o.owner_epoch`,
      [this.group, sorted.map((p) => p.topic), sorted.map((p) => p.partition)],
    );
    return result.rows.map((r) => ({ topic: r.topic, partition: r.partition, offset: r.next_offset, epoch: r.owner_epoch }));
  }

  /**
   * Inside the data transaction, before any row: moves the positions forward if this worker still
   * owns the partitions (epoch unchanged). Returns the partitions it no longer owns; when that is
   * not empty, the caller must roll back.
   */
  async advance(client: PoolClient, positions: ReadonlyArray<PartitionOffset & { epoch: string }>): Promise<TopicPartition[]> {
    if (positions.length === 0) return [];
    const result = await client.query<{ topic: string; partition: number }>(
      `UPDATE ${this.table} AS o SET next_offset = u.next_offset, updated_at = now()
         FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[]) AS u(topic, partition, next_offset, epoch)
        WHERE o.group_id = $1 AND o.topic = u.topic AND o.partition = u.partition AND o.owner_epoch = u.epoch
        RETURNING o.topic, o.partition`,
      [this.group, positions.map((p) => p.topic), positions.map((p) => p.partition), positions.map((p) => p.offset), positions.map((p) => p.epoch)],
    );
    const updated = new Set(result.rows.map((r) => `${r.partition}:${r.topic}`));
    return positions.filter((p) => !updated.has(`${p.partition}:${p.topic}`)).map(({ topic, partition }) => ({ topic, partition }));
  }
}
