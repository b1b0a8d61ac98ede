/**
 * Canonical JoinGroup request and response, generated from Kafka's JoinGroupRequest.json and
 * JoinGroupResponse.json (kafka-clients 4.4.0) for the versions this broker implements.
 */

/** JoinGroup response, every supported version (v0-v5) in one shape. */
export interface JoinGroupResponse {
  /** The duration in milliseconds for which the request was throttled due to a quota violation, or zero if the request did not violate any quota. (v2-5 only) */
  throttleTimeMs: number;
  /** The error code, or 0 if there was no error. */
  errorCode: number;
  /** The generation ID of the group. */
  generationId: number;
  /** The group protocol selected by the coordinator. */
  protocolName: string;
  /** The leader of the group. */
  leader: string;
  /** The member ID assigned by the group coordinator. */
  memberId: string;
  /** The group members. */
  members: JoinGroupResponseMember[];
}

export interface JoinGroupResponseMember {
  /** The group member ID. */
  memberId: string;
  /** The unique identifier of the consumer instance provided by end user. (v5 only) */
  groupInstanceId: string | null;
  /** The group member metadata. */
  metadata: Buffer;
}

/** JoinGroup request, every supported version (v0-v5) in one shape. */
export interface JoinGroupRequest {
  /** The group identifier. */
  groupId: string;
  /** The coordinator considers the consumer dead if it receives no heartbeat after this timeout in milliseconds. */
  sessionTimeoutMs: number;
  /** The maximum time in milliseconds that the coordinator will wait for each member to rejoin when rebalancing the group. (v1-5 only; default -1) */
  rebalanceTimeoutMs: number;
  /** The member id assigned by the group coordinator. */
  memberId: string;
  /** The unique identifier of the consumer instance provided by end user. (v5 only; default null) */
  groupInstanceId: string | null;
  /** The unique name the for class of protocols implemented by the group we want to join. */
  protocolType: string;
  /** The list of protocols that the member supports. */
  protocols: JoinGroupRequestProtocol[];
}

export interface JoinGroupRequestProtocol {
  /** The protocol name. */
  name: string;
  /** The protocol metadata. */
  metadata: Buffer;
}
