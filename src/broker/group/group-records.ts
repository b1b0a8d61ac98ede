/**
 * The group coordinator's persistence format: one JSON object per store entry, tagged by `t`.
 * bigint offsets and producer ids are decimal strings. Entries are facts to replay in order:
 *
 *   {"t":"group","groupId":"g","protocolType":"consumer","generationId":3}      generation reached
 *   {"t":"offsets","groupId":"g","offsets":[{topic,partition,offset,metadata,leaderEpoch,commitTimestampMs}]}
 *   {"t":"txn-offsets","groupId":"g","producerId":"7","producerEpoch":0,"transactionalId":"tx","offsets":[...]}
 *   {"t":"txn-end","groupId":"g","producerId":"7","commit":true}                staged offsets committed or dropped
 *   {"t":"group-delete","groupId":"g"}
 *
 * Unknown tags are skipped on load (with a warning) so an older broker can read a newer log's known parts.
 */

export interface OffsetRecord {
  topic: string;
  partition: number;
  offset: string;
  metadata: string | null;
  leaderEpoch: number;
  commitTimestampMs: number;
}

export type GroupRecord =
  | { t: 'group'; groupId: string; protocolType: string | null; generationId: number }
  | { t: 'offsets'; groupId: string; offsets: OffsetRecord[] }
  | { t: 'txn-offsets'; groupId: string; producerId: string; producerEpoch: number; transactionalId: string; offsets: OffsetRecord[] }
  | { t: 'txn-end'; groupId: string; producerId: string; commit: boolean }
  | { t: 'group-delete'; groupId: string };

type Fields = Record<string, unknown>;

const isString = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isDecimal = (v: unknown): v is string => typeof v === 'string' && /^-?\d+$/.test(v);

function decodeOffsets(v: unknown): OffsetRecord[] | null {
  if (!Array.isArray(v)) return null;
  const out: OffsetRecord[] = [];
  for (const item of v as unknown[]) {
    if (typeof item !== 'object' || item === null) return null;
    const o = item as Fields;
    if (!isString(o.topic) || !isInt(o.partition) || !isDecimal(o.offset)) return null;
    if (o.metadata !== null && !isString(o.metadata)) return null;
    out.push({
      topic: o.topic,
      partition: o.partition,
      offset: o.offset,
      metadata: o.metadata,
      leaderEpoch: isInt(o.leaderEpoch) ? o.leaderEpoch : -1,
      commitTimestampMs: isInt(o.commitTimestampMs) ? o.commitTimestampMs : 0,
    });
  }
  return out;
}

/** Validates a loaded entry; null when it is not a group record this version understands. */
export function decodeGroupRecord(raw: object): GroupRecord | null {
  const r = raw as Fields;
  if (!isString(r.groupId)) return null;
  const groupId = r.groupId;
  switch (r.t) {
    case 'group':
      if (!isInt(r.generationId) || (r.protocolType !== null && !isString(r.protocolType))) return null;
      return { t: 'group', groupId, protocolType: r.protocolType, generationId: r.generationId };
    case 'offsets': {
      const offsets = decodeOffsets(r.offsets);
      return offsets === null ? null : { t: 'offsets', groupId, offsets };
    }
    case 'txn-offsets': {
      const offsets = decodeOffsets(r.offsets);
      if (offsets === null || !isDecimal(r.producerId) || !isInt(r.producerEpoch) || !isString(r.transactionalId)) return null;
      return { t: 'txn-offsets', groupId, producerId: r.producerId, producerEpoch: r.producerEpoch, transactionalId: r.transactionalId, offsets };
    }
    case 'txn-end':
      if (!isDecimal(r.producerId) || typeof r.commit !== 'boolean') return null;
      return { t: 'txn-end', groupId, producerId: r.producerId, commit: r.commit };
    case 'group-delete':
      return { t: 'group-delete', groupId };
    default:
      return null;
  }
}
