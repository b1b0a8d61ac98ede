/**
 * What a failed transaction did, judged from the consumer group's committed offset of its input
 * partition, read back after the transactional id was initialized again.
 *
 * Why the offset answers it: each transaction commits its input position with sendOffsets, so the
 * offset moves exactly when a transaction of this partition commits. InitProducerId settles the
 * failed transaction before it returns (a prepared commit completes, anything else aborts), so the
 * offset read afterwards is final for it.
 *
 * - `committed`: the offset is the one the failed attempt was committing.
 * - `not-committed`: the offset is still the one this producer last committed (or resumed from).
 * - `moved`: anything else. Only this partition's owner commits its offset, and batches of a
 *   partition are committed one at a time, so another producer of the id (a member that took the
 *   partition over) has committed since: this one must stop writing, as if fenced.
 */
export type ReadBackVerdict = 'committed' | 'not-committed' | 'moved';

export interface ReadBack {
  /** The offset this producer last committed or resumed from; null: none committed yet. */
  known: bigint | null;
  /** The offset the failed attempt was committing (the end of its batch). */
  attempted: bigint;
  /** The group's committed offset now; null: none. */
  readBack: bigint | null;
}

export function judgeReadBack({ known, attempted, readBack }: ReadBack): ReadBackVerdict {
  if (readBack !== null && readBack === attempted) return 'committed';
  if (readBack === known) return 'not-committed';
  return 'moved';
}
