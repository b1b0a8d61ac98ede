/**
 * The group coordinator's persistence format: one JSON object per store entry, tagged by `t`.
 * bigint offsets and producer ids are decimal strings. Entries are facts to replay in order:
 *
 *   {"t":"group","groupId":"g","protocolType":"consumer","generationId":3}      generation reached (older logs only)
 *   {"t":"group-state","groupId":"g","protocolType":"consumer","protocolName":"range","generationId":3,
 *    "leader":"m1","members":[{memberId,groupInstanceId,clientId,clientHost,sessionTimeoutMs,
 *    rebalanceTimeoutMs,protocols:[{name,metadata}],assignment}]}           the group as of its last Stable
 *                                                                            or Empty generation; replaces
 *                                                                            every earlier group/group-state
 *   {"t":"offsets","groupId":"g","offsets":[{topic,partition,offset,metadata,leaderEpoch,commitTimestampMs}]}
 *   {"t":"txn-offsets","groupId":"g","producerId":"7","producerEpoch":0,"transactionalId":"tx","offsets":[...]}
 *   {"t":"txn-end","groupId":"g","producerId":"7","commit":true}                staged offsets committed or dropped
 *   {"t":"group-delete","groupId":"g"}
 *
 * Byte fields (protocol metadata, assignments) are base64. A `group-state` with no members is an
 * Empty group (protocolName and leader null); one with members is restored as Stable.
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

export interface MemberRecord {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  /** Every protocol the member joined with, in its order of preference (metadata base64). */
  protocols: Array<{ name: string; metadata: string }>;
  /** The leader's assignment for the member in this generation, base64. */
  assignment: string;
}

export interface GroupStateRecord {
  t: 'group-state';
  groupId: string;
  protocolType: string | null;
  protocolName: string | null;
  generationId: number;
  leader: string | null;
  members: MemberRecord[];
}

export type GroupRecord =
  | { t: 'group'; groupId: string; protocolType: string | null; generationId: number }
  | GroupStateRecord
  | { t: 'offsets'; groupId: string; offsets: OffsetRecord[] }
  | { t: 'txn-offsets'; groupId: string; producerId: string; producerEpoch: number; transactionalId: string; offsets: OffsetRecord[] }
  | { t: 'txn-end'; groupId: string; producerId: string; commit: boolean }
  | { t: 'group-delete'; groupId: string };

type Fields = Record<string, unknown>;

const isString = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isDecimal = (v: unknown): v is string => typeof v === 'string' && /^-?\d+$/.test(v);
const isNullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';
// Strict: Buffer.from(s, 'base64') silently skips junk, which would turn corruption into wrong bytes.
const isBase64 = (v: unknown): v is string => typeof v === 'string' && v.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(v);
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

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

function decodeMember(v: unknown): MemberRecord | null {
  if (!isObject(v)) return null;
  const { memberId, groupInstanceId, clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs, protocols, assignment } = v;
  if (!isString(memberId) || memberId === '' || !isNullableString(groupInstanceId) || !isString(clientId) || !isString(clientHost)) return null;
  if (!isInt(sessionTimeoutMs) || sessionTimeoutMs <= 0 || !isInt(rebalanceTimeoutMs) || rebalanceTimeoutMs < 0) return null;
  if (!isBase64(assignment) || !Array.isArray(protocols) || protocols.length === 0) return null;
  const decoded: MemberRecord['protocols'] = [];
  for (const p of protocols as unknown[]) {
    if (!isObject(p) || !isString(p.name) || !isBase64(p.metadata)) return null;
    decoded.push({ name: p.name, metadata: p.metadata });
  }
  return { memberId, groupInstanceId, clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs, protocols: decoded, assignment };
}

/**
 * A group-state entry must describe a group the coordinator could have been in: members have distinct
 * ids and instance ids, a non-empty group has a protocol and a leader among its members, and every
 * member supports the chosen protocol. Anything else is rejected whole rather than half-restored.
 */
function decodeGroupState(groupId: string, r: Fields): GroupStateRecord | null {
  if (!isInt(r.generationId) || r.generationId < 0 || !isNullableString(r.protocolType)) return null;
  if (!isNullableString(r.protocolName) || !isNullableString(r.leader) || !Array.isArray(r.members)) return null;
  const members: MemberRecord[] = [];
  const ids = new Set<string>();
  const instances = new Set<string>();
  for (const raw of r.members as unknown[]) {
    const m = decodeMember(raw);
    if (m === null || ids.has(m.memberId)) return null;
    if (m.groupInstanceId !== null) {
      if (instances.has(m.groupInstanceId)) return null;
      instances.add(m.groupInstanceId);
    }
    ids.add(m.memberId);
    members.push(m);
  }
  const { protocolType, protocolName, leader, generationId } = r;
  if (members.length === 0) {
    if (protocolName !== null || leader !== null) return null;
  } else {
    if (protocolType === null || protocolName === null || leader === null || !ids.has(leader)) return null;
    if (!members.every((m) => m.protocols.some((p) => p.name === protocolName))) return null;
  }
  return { t: 'group-state', groupId, protocolType, protocolName, generationId, leader, members };
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
    case 'group-state':
      return decodeGroupState(groupId, r);
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
