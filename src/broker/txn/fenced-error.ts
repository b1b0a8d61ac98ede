/**
 * PRODUCER_FENCED (90) arrived with KIP-588; clients speaking older request versions only know
 * INVALID_PRODUCER_EPOCH (47) for the same condition (kafkajs 2.2.4 among them). The coordinator
 * answers with PRODUCER_FENCED; request handlers pass the code through this before encoding.
 */
import { KafkaErrorCode as E } from '../group/error-codes.ts';

/** First request version whose clients understand PRODUCER_FENCED (from Kafka's message definitions). */
export const PRODUCER_FENCED_SINCE = {
  InitProducerId: 4,
  AddPartitionsToTxn: 2,
  AddOffsetsToTxn: 2,
  EndTxn: 2,
} as const;

export type FencingApi = keyof typeof PRODUCER_FENCED_SINCE;

export function fencedErrorFor(api: FencingApi, version: number, errorCode: number): number {
  return errorCode === E.PRODUCER_FENCED && version < PRODUCER_FENCED_SINCE[api] ? E.INVALID_PRODUCER_EPOCH : errorCode;
}
