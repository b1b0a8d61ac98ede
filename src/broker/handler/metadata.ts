/**
 * Metadata: this node is the only broker, the controller, and the leader and sole replica of every
 * partition. Unknown topics are created on the spot when the broker allows auto-creation and the
 * request does (v4+ `allow_auto_topic_creation`; always allowed before v4).
 */
import { ErrorCode } from '../protocol/error-code.ts';
import type { MetadataRequest, MetadataResponse, MetadataResponseTopic } from '../protocol/metadata/types.ts';
import type { BrokerServices, Handler } from './context.ts';
import { errorCodeOf } from './error-mapping.ts';
import { LEADER_EPOCH } from './list-offsets.ts';
import { topicNameProblem } from './topic-name.ts';

/** Kafka's "authorized operations were not requested" sentinel. */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export function metadataHandler(svc: BrokerServices): Handler<MetadataRequest, MetadataResponse> {
  return async (req, ctx) => {
    // v0 has no null array: an empty list means every topic. From v1 on, null means every topic.
    const all = req.topics === null || (ctx.apiVersion === 0 && req.topics.length === 0);
    const names = all ? svc.logs.topics() : (req.topics ?? []).map((t) => t.name);
    const topics: MetadataResponseTopic[] = [];
    for (const name of names) topics.push(await describeTopic(svc, name, !all && req.allowAutoTopicCreation));
    return {
      throttleTimeMs: 0,
      brokers: [{ nodeId: svc.config.nodeId, host: svc.advertised.host, port: svc.advertised.port, rack: null }],
      clusterId: svc.clusterId,
      controllerId: svc.config.nodeId,
      topics,
      clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
  };
}

async function describeTopic(svc: BrokerServices, name: string, mayCreate: boolean): Promise<MetadataResponseTopic> {
  const unknown = (errorCode: number): MetadataResponseTopic => ({ errorCode, name, isInternal: false, partitions: [], topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED });
  if (topicNameProblem(name) !== null) return unknown(ErrorCode.INVALID_TOPIC_EXCEPTION);
  let topic = svc.logs.topic(name);
  if (!topic && mayCreate && svc.config.autoCreateTopics) {
    try {
      await svc.logs.createTopic(name, svc.config.defaultPartitions, {});
    } catch (err) {
      // A concurrent request may have created it first; anything else is reported for this topic only.
      if (!svc.logs.topic(name)) return unknown(errorCodeOf(err, svc.logger, `auto-creating topic ${name}`));
    }
    topic = svc.logs.topic(name);
  }
  if (!topic) return unknown(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const node = svc.config.nodeId;
  const partitions = [];
  for (let i = 0; i < topic.partitions; i++) {
    partitions.push({ errorCode: ErrorCode.NONE, partitionIndex: i, leaderId: node, leaderEpoch: LEADER_EPOCH, replicaNodes: [node], isrNodes: [node], offlineReplicas: [] });
  }
  return { errorCode: ErrorCode.NONE, name, isInternal: false, partitions, topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED };
}
