import { PostgresSinkTask } from '../../../connectors/postgres/index.ts';
import { resolvePostgresSinkConfig, type PostgresSinkConfig } from '../../../connectors/postgres/config.ts';
import { systemClock, silentLogger, type PartitionOffset, type SinkRecord } from '../../../src/sdk/index.ts';

/** A postgres sink task on `url`, configured like the runtime would (defaults applied). */
export function sinkTask(url: string, config: Partial<PostgresSinkConfig> = {}, ids: { group?: string; workerId?: number } = {}): PostgresSinkTask {
  return new PostgresSinkTask({
    config: resolvePostgresSinkConfig({ url, ...config }),
    pipeline: 'pg-test',
    logger: silentLogger,
    clock: systemClock,
    sinkName: 'pg',
    group: ids.group ?? 'group-a',
    workerId: ids.workerId ?? 0,
  });
}

/** Records of one partition at consecutive offsets from `first`, and the position after them. */
export function batch(topic: string, partition: number, first: number, items: Array<{ key?: unknown; value: unknown } & Partial<SinkRecord>>): { records: SinkRecord[]; position: PartitionOffset[] } {
  const records = items.map((item, i) => ({ topic, partition, timestamp: 0, headers: [], key: null, ...item, offset: String(first + i) }));
  return { records, position: [{ topic, partition, offset: String(first + items.length) }] };
}

export async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}
