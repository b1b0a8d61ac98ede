/**
 * CreateTopics and DeleteTopics. With one node, the only valid replication factor is 1 (or -1 for the
 * broker default), and a manual assignment may only name this node.
 */
import type { CreateTopicsCreatableTopic, CreateTopicsCreatableTopicResult, CreateTopicsRequest, CreateTopicsResponse } from '../protocol/create-topics/types.ts';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../protocol/delete-topics/types.ts';
import { ErrorCode } from '../protocol/error-code.ts';
import type { BrokerServices, Handler } from './context.ts';
import { errorCodeOf, errorMessageOf } from './error-mapping.ts';
import { topicNameProblem } from './topic-name.ts';

export function createTopicsHandler(svc: BrokerServices): Handler<CreateTopicsRequest, CreateTopicsResponse> {
  return async (req) => {
    const topics: CreateTopicsCreatableTopicResult[] = [];
    for (const t of req.topics) topics.push(await createTopic(svc, t, req.validateOnly));
    return { throttleTimeMs: 0, topics };
  };
}

async function createTopic(svc: BrokerServices, t: CreateTopicsCreatableTopic, validateOnly: boolean): Promise<CreateTopicsCreatableTopicResult> {
  const fail = (errorCode: number, errorMessage: string): CreateTopicsCreatableTopicResult => ({ name: t.name, errorCode, errorMessage });
  const nameProblem = topicNameProblem(t.name);
  if (nameProblem !== null) return fail(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
  if (svc.logs.topic(t.name)) return fail(ErrorCode.TOPIC_ALREADY_EXISTS, `topic '${t.name}' already exists`);
  const node = svc.config.nodeId;
  let partitions = t.numPartitions === -1 ? svc.config.defaultPartitions : t.numPartitions;
  if (t.assignments.length > 0) {
    if (t.numPartitions !== -1 || t.replicationFactor !== -1) return fail(ErrorCode.INVALID_REQUEST, 'give either partitions and replication factor, or a replica assignment');
    const bad = t.assignments.find((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== node);
    if (bad) return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `partition ${bad.partitionIndex}: this single-node broker can only assign replicas to node ${node}`);
    partitions = t.assignments.length;
  } else if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
    return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `replication factor ${t.replicationFactor} is larger than the 1 available broker`);
  }
  if (!Number.isInteger(partitions) || partitions < 1) return fail(ErrorCode.INVALID_PARTITIONS, `number of partitions must be at least 1, got ${partitions}`);
  const raw: Record<string, string> = {};
  for (const c of t.configs) if (c.value !== null) raw[c.name] = c.value;
  if (validateOnly) return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
  try {
    await svc.logs.createTopic(t.name, partitions, raw);
    return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
  } catch (err) {
    return fail(errorCodeOf(err, svc.logger, `creating topic ${t.name}`), errorMessageOf(err));
  }
}

export function deleteTopicsHandler(svc: BrokerServices): Handler<DeleteTopicsRequest, DeleteTopicsResponse> {
  return async (req) => {
    const responses = [];
    for (const name of req.topicNames) {
      const topic = svc.logs.topic(name);
      if (!topic) {
        responses.push({ name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
        continue;
      }
      try {
        await svc.logs.deleteTopic(name);
        // Wake long polls on the deleted partitions so they answer UNKNOWN_TOPIC_OR_PARTITION now.
        for (let p = 0; p < topic.partitions; p++) svc.appends.notify(name, p);
        responses.push({ name, errorCode: ErrorCode.NONE });
      } catch (err) {
        responses.push({ name, errorCode: errorCodeOf(err, svc.logger, `deleting topic ${name}`) });
      }
    }
    return { throttleTimeMs: 0, responses };
  };
}
