import { DatagenSourceTask } from '../../../connectors/datagen/index.ts';
import { resolveDatagenConfig } from '../../../connectors/datagen/config.ts';
import { systemClock, silentLogger } from '../../../src/sdk/index.ts';

/**
 * The rows a datagen `orders` source with this seed produces, regenerated in-process by the same
 * task class the pipeline ran: datagen records are a pure function of (seed, id).
 */
export async function expectedOrders(seed: number, count: number): Promise<Array<Record<string, unknown>>> {
  const task = new DatagenSourceTask({
    config: resolveDatagenConfig({ kind: 'orders', seed, count, batchSize: 10_000 }),
    pipeline: 'expected',
    logger: silentLogger,
    clock: systemClock,
    taskId: 0,
    committedOffset: () => undefined,
  });
  await task.start();
  const rows: Array<Record<string, unknown>> = [];
  const signal = new AbortController().signal;
  for (;;) {
    const batch = await task.poll(signal);
    if (batch === null) break;
    for (const r of batch) rows.push(r.value as Record<string, unknown>);
  }
  await task.stop();
  return rows;
}

/** A row as the chaos table stores it, read back with every column as text. */
export interface StoredOrder {
  id: string;
  user_id: string;
  amount: string;
  currency: string;
  status: string;
  ts: string;
}

/** The differences between stored and expected rows (by id), at most `limit` of them, as readable lines. */
export function compareOrders(stored: readonly StoredOrder[], expected: ReadonlyArray<Record<string, unknown>>, limit = 10): string[] {
  const problems: string[] = [];
  const byId = new Map(stored.map((r) => [r.id, r]));
  for (const e of expected) {
    if (problems.length >= limit) break;
    const want: StoredOrder = { id: String(e.id), user_id: String(e.user_id), amount: String(e.amount), currency: String(e.currency), status: String(e.status), ts: String(e.ts) };
    const got = byId.get(want.id);
    if (got === undefined) problems.push(`id ${want.id}: missing`);
    else if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`id ${want.id}: stored ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    byId.delete(want.id);
  }
  for (const extra of byId.keys()) {
    if (problems.length >= limit) break;
    problems.push(`id ${extra}: stored but never generated`);
  }
  return problems;
}
