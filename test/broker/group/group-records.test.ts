import { describe, expect, it } from 'vitest';
import { ClassicGroup } from '../../../src/broker/group/classic-group.ts';
import { GroupMember } from '../../../src/broker/group/group-member.ts';
import { decodeGroupRecord, type GroupStateRecord } from '../../../src/broker/group/group-records.ts';

function member(memberId: string, groupInstanceId: string | null = null): GroupMember {
  const m = new GroupMember(memberId, groupInstanceId, `client-${memberId}`, '/127.0.0.1', 10_000, 30_000, 'consumer', [
    { name: 'range', metadata: Buffer.from([0, 1, 2, 255]) },
    { name: 'roundrobin', metadata: Buffer.alloc(0) },
  ]);
  m.assignment = Buffer.from(`assigned to ${memberId}`);
  return m;
}

/** A Stable-looking group of two members, one static, as the coordinator would persist it. */
function stableRecord(): GroupStateRecord {
  const group = new ClassicGroup('g');
  group.add(member('m1'));
  group.add(member('m2', 'instance-2'));
  group.generationId = 7;
  group.protocolName = 'range';
  return group.stateRecord();
}

/** Encodes as the file store does (JSON lines) and decodes as load does. */
const roundTrip = (record: object): unknown => decodeGroupRecord(JSON.parse(JSON.stringify(record)) as object);

describe('group-state records', () => {
  it('round-trip a Stable group with its members, subscriptions and assignments', () => {
    const record = stableRecord();
    expect(record).toMatchObject({ t: 'group-state', groupId: 'g', protocolType: 'consumer', protocolName: 'range', generationId: 7, leader: 'm1' });
    expect(roundTrip(record)).toEqual(record);
    const m2 = record.members[1]!;
    expect(m2).toEqual({
      memberId: 'm2',
      groupInstanceId: 'instance-2',
      clientId: 'client-m2',
      clientHost: '/127.0.0.1',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 30_000,
      protocols: [
        { name: 'range', metadata: 'AAEC/w==' },
        { name: 'roundrobin', metadata: '' },
      ],
      assignment: Buffer.from('assigned to m2').toString('base64'),
    });
  });

  it('an empty group has no protocol name and no leader', () => {
    const group = new ClassicGroup('g');
    group.protocolType = 'consumer';
    group.generationId = 4;
    const record = group.stateRecord();
    expect(record).toEqual({ t: 'group-state', groupId: 'g', protocolType: 'consumer', protocolName: null, generationId: 4, leader: null, members: [] });
    expect(roundTrip(record)).toEqual(record);
  });

  it('the older generation-only record still decodes', () => {
    expect(roundTrip({ t: 'group', groupId: 'g', protocolType: 'consumer', generationId: 3 })).toEqual({
      t: 'group',
      groupId: 'g',
      protocolType: 'consumer',
      generationId: 3,
    });
  });

  const withMember = (r: GroupStateRecord, i: number, change: Record<string, unknown>): object => ({
    ...r,
    members: r.members.map((m, j) => (j === i ? { ...m, ...change } : m)),
  });

  const malformed: Array<[string, (r: GroupStateRecord) => object]> = [
    ['a missing group id', ({ groupId: _g, ...rest }) => rest],
    ['a fractional generation', (r) => ({ ...r, generationId: 1.5 })],
    ['a negative generation', (r) => ({ ...r, generationId: -1 })],
    ['members that are not an array', (r) => ({ ...r, members: {} })],
    ['a member that is not an object', (r) => ({ ...r, members: [...r.members, 'm3'] })],
    ['an empty member id', (r) => withMember(r, 0, { memberId: '' })],
    ['a duplicate member id', (r) => withMember(r, 1, { memberId: 'm1' })],
    ['a duplicate group instance id', (r) => withMember(r, 0, { groupInstanceId: 'instance-2' })],
    ['a non-string client id', (r) => withMember(r, 0, { clientId: 5 })],
    ['a zero session timeout', (r) => withMember(r, 0, { sessionTimeoutMs: 0 })],
    ['a missing rebalance timeout', (r) => withMember(r, 0, { rebalanceTimeoutMs: undefined })],
    ['an assignment that is not base64', (r) => withMember(r, 0, { assignment: 'not base64!' })],
    ['protocol metadata that is not base64', (r) => withMember(r, 0, { protocols: [{ name: 'range', metadata: '%%%%' }] })],
    ['no protocols', (r) => withMember(r, 0, { protocols: [] })],
    ['a member without the chosen protocol', (r) => withMember(r, 0, { protocols: [{ name: 'roundrobin', metadata: '' }] })],
    ['a leader that is not a member', (r) => ({ ...r, leader: 'm9' })],
    ['members but no protocol name', (r) => ({ ...r, protocolName: null })],
    ['members but no protocol type', (r) => ({ ...r, protocolType: null })],
    ['members but no leader', (r) => ({ ...r, leader: null })],
    ['an empty group with a leader', (r) => ({ ...r, protocolName: null, members: [] })],
  ];

  for (const [what, corrupt] of malformed) {
    it(`rejects ${what}`, () => {
      expect(roundTrip(corrupt(stableRecord()))).toBeNull();
    });
  }
});
