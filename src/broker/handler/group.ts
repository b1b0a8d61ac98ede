/**
 * The classic consumer group APIs, translated to and from the {@link GroupCoordinator}. The coordinator
 * owns all group state and timing; these handlers only reshape requests and responses.
 */
import type { DescribeGroupsRequest, DescribeGroupsResponse } from '../protocol/describe-groups/types.ts';
import { ErrorCode } from '../protocol/error-code.ts';
import type { HeartbeatRequest, HeartbeatResponse } from '../protocol/heartbeat/types.ts';
import type { JoinGroupRequest, JoinGroupResponse } from '../protocol/join-group/types.ts';
import type { LeaveGroupRequest, LeaveGroupResponse } from '../protocol/leave-group/types.ts';
import type { ListGroupsRequest, ListGroupsResponse } from '../protocol/list-groups/types.ts';
import type { SyncGroupRequest, SyncGroupResponse } from '../protocol/sync-group/types.ts';
import type { BrokerServices, Handler } from './context.ts';
import { AUTHORIZED_OPERATIONS_OMITTED } from './metadata.ts';

/** JoinGroup v4 introduced MEMBER_ID_REQUIRED: a new member first learns its id, then joins with it (KIP-394). */
const MEMBER_ID_REQUIRED_SINCE = 4;
/** LeaveGroup v3 replaced the single member id with a batch of members (KIP-345). */
const LEAVE_BATCH_SINCE = 3;

export function joinGroupHandler(svc: BrokerServices): Handler<JoinGroupRequest, JoinGroupResponse> {
  return async (req, ctx) => {
    const res = await svc.groups.joinGroup({
      groupId: req.groupId,
      memberId: req.memberId,
      groupInstanceId: req.groupInstanceId,
      sessionTimeoutMs: req.sessionTimeoutMs,
      // v0 has no rebalance timeout; Kafka then uses the session timeout.
      rebalanceTimeoutMs: req.rebalanceTimeoutMs < 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs,
      protocolType: req.protocolType,
      protocols: req.protocols,
      requireKnownMemberId: ctx.apiVersion >= MEMBER_ID_REQUIRED_SINCE,
      clientId: ctx.clientId ?? '',
      clientHost: ctx.clientHost,
    });
    return {
      throttleTimeMs: 0,
      errorCode: res.errorCode,
      generationId: res.generationId,
      protocolName: res.protocolName ?? '',
      leader: res.leader,
      memberId: res.memberId,
      members: res.members,
    };
  };
}

export function syncGroupHandler(svc: BrokerServices): Handler<SyncGroupRequest, SyncGroupResponse> {
  return async (req) => {
    const res = await svc.groups.syncGroup(req);
    return { throttleTimeMs: 0, errorCode: res.errorCode, assignment: res.assignment };
  };
}

export function heartbeatHandler(svc: BrokerServices): Handler<HeartbeatRequest, HeartbeatResponse> {
  return (req) => ({ throttleTimeMs: 0, errorCode: svc.groups.heartbeat(req).errorCode });
}

export function leaveGroupHandler(svc: BrokerServices): Handler<LeaveGroupRequest, LeaveGroupResponse> {
  return (req, ctx) => {
    const batch = ctx.apiVersion >= LEAVE_BATCH_SINCE;
    const members = batch ? req.members : [{ memberId: req.memberId, groupInstanceId: null }];
    const res = svc.groups.leaveGroup({ groupId: req.groupId, members });
    // Before v3 the only member's error is the response's error.
    const errorCode = batch || res.errorCode !== ErrorCode.NONE ? res.errorCode : (res.members[0]?.errorCode ?? ErrorCode.NONE);
    return { throttleTimeMs: 0, errorCode, members: res.members };
  };
}

export function describeGroupsHandler(svc: BrokerServices): Handler<DescribeGroupsRequest, DescribeGroupsResponse> {
  return (req) => ({
    throttleTimeMs: 0,
    groups: req.groups.map((groupId) => {
      const d = svc.groups.describeGroup(groupId);
      return {
        errorCode: d.errorCode,
        groupId: d.groupId,
        groupState: d.state,
        protocolType: d.protocolType,
        protocolData: d.protocol,
        members: d.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: m.metadata,
          memberAssignment: m.assignment,
        })),
        authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      };
    }),
  });
}

export function listGroupsHandler(svc: BrokerServices): Handler<ListGroupsRequest, ListGroupsResponse> {
  return () => ({
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    groups: svc.groups.listGroups().map((g) => ({ groupId: g.groupId, protocolType: g.protocolType })),
  });
}
