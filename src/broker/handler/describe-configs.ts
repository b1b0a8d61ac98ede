/**
 * DescribeConfigs for topics (resource type 2) and this broker (type 4). Topic values come from the
 * configs the topic was created with, falling back to the broker's log defaults.
 */
import type { BrokerConfig } from '../config.ts';
import type { DescribeConfigsRequest, DescribeConfigsResourceResult, DescribeConfigsResponse, DescribeConfigsResult } from '../protocol/describe-configs/types.ts';
import { ErrorCode } from '../protocol/error-code.ts';
import type { BrokerServices, Handler } from './context.ts';

const TOPIC = 2;
const BROKER = 4;
/** Kafka's ConfigSource values. */
const DYNAMIC_TOPIC_CONFIG = 1;
const STATIC_BROKER_CONFIG = 4;
const DEFAULT_CONFIG = 5;

/** Topic-level config names and the broker defaults they fall back to. */
function topicDefaults(c: BrokerConfig): Record<string, string> {
  return {
    'cleanup.policy': c.log.cleanupPolicy,
    'retention.ms': String(c.log.retentionMs),
    'retention.bytes': String(c.log.retentionBytes),
    'segment.bytes': String(c.log.segmentBytes),
    'max.message.bytes': String(c.log.maxMessageBytes),
    'index.interval.bytes': String(c.log.indexIntervalBytes),
    'message.timestamp.type': 'CreateTime',
    'min.insync.replicas': '1',
  };
}

function brokerConfigs(c: BrokerConfig): Record<string, string> {
  return {
    'broker.id': String(c.nodeId),
    'auto.create.topics.enable': String(c.autoCreateTopics),
    'num.partitions': String(c.defaultPartitions),
    'default.replication.factor': '1',
    'offsets.topic.replication.factor': '1',
    'transaction.state.log.replication.factor': '1',
    'socket.request.max.bytes': String(c.maxFrameBytes),
    'log.retention.ms': String(c.log.retentionMs),
    'log.segment.bytes': String(c.log.segmentBytes),
    'message.max.bytes': String(c.log.maxMessageBytes),
    'transaction.max.timeout.ms': String(c.transactions.maxTransactionTimeoutMs),
    'group.min.session.timeout.ms': String(c.groups.minSessionTimeoutMs),
    'group.max.session.timeout.ms': String(c.groups.maxSessionTimeoutMs),
  };
}

function entry(name: string, value: string, configSource: number, includeSynonyms: boolean, readOnly: boolean): DescribeConfigsResourceResult {
  return { name, value, readOnly, configSource, isSensitive: false, synonyms: includeSynonyms ? [{ name, value, source: configSource }] : [] };
}

export function describeConfigsHandler(svc: BrokerServices): Handler<DescribeConfigsRequest, DescribeConfigsResponse> {
  return (req) => ({
    throttleTimeMs: 0,
    results: req.resources.map((r): DescribeConfigsResult => {
      const base = { resourceType: r.resourceType, resourceName: r.resourceName };
      const wanted = (name: string): boolean => r.configurationKeys === null || r.configurationKeys.includes(name);
      if (r.resourceType === TOPIC) {
        const topic = svc.logs.topic(r.resourceName);
        if (!topic) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `topic '${r.resourceName}' does not exist`, configs: [] };
        const values = { ...topicDefaults(svc.config), ...topic.raw };
        const configs = Object.entries(values)
          .filter(([name]) => wanted(name))
          .map(([name, value]) => entry(name, value, name in topic.raw ? DYNAMIC_TOPIC_CONFIG : DEFAULT_CONFIG, req.includeSynonyms, false));
        return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
      }
      if (r.resourceType === BROKER) {
        if (r.resourceName !== '' && r.resourceName !== String(svc.config.nodeId)) {
          return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `unknown broker '${r.resourceName}'`, configs: [] };
        }
        const configs = Object.entries(brokerConfigs(svc.config))
          .filter(([name]) => wanted(name))
          .map(([name, value]) => entry(name, value, STATIC_BROKER_CONFIG, req.includeSynonyms, true));
        return { ...base, errorCode: ErrorCode.NONE, errorMessage: null, configs };
      }
      return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `resource type ${r.resourceType} is not supported`, configs: [] };
    }),
  });
}
