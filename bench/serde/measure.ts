/**
 * Throughput of an operation over a fixed input set, measured in rounds that alternate between ours
 * and the peer, so both see the same machine (other processes, GC, CPU frequency). The figure
 * reported is each side's best round: the least disturbed one.
 */
export interface Side {
  name: string;
  /** Processes one record; the result is kept so the work cannot be optimised away. */
  run(index: number): unknown;
}

export interface Comparison {
  ours: number;
  peer: number;
}

export function compare(ours: Side, peer: Side, options: { records: number; rounds: number; warmup: number }): Comparison {
  let sink = 0;
  const once = (side: Side, count: number): number => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      const out = side.run(i);
      if (out !== undefined) sink++;
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return count / seconds;
  };
  once(ours, options.warmup);
  once(peer, options.warmup);
  let bestOurs = 0;
  let bestPeer = 0;
  for (let r = 0; r < options.rounds; r++) {
    bestOurs = Math.max(bestOurs, once(ours, options.records));
    bestPeer = Math.max(bestPeer, once(peer, options.records));
  }
  if (sink === 0) throw new Error('benchmark produced nothing');
  return { ours: bestOurs, peer: bestPeer };
}
