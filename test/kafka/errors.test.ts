import { KafkaJSConnectionError, KafkaJSGroupCoordinatorNotFound, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaError } from '../../src/kafka/errors.ts';
import { TributaryError } from '../../src/sdk/errors.ts';

// Real kafkajs error classes, built the way kafkajs builds them, so a change in its shapes shows here.
// Its retrier wraps a non-retriable failure as `new KafkaJSNonRetriableError(e, { cause: e.cause || e })`;
// the published types omit that second argument.
const NonRetriable = KafkaJSNonRetriableError as unknown as new (e: Error, meta: { cause: Error }) => Error;
function gaveUp(e: Error): Error {
  return new NonRetriable(e, { cause: e });
}

function protocolError(type: string, code: number, retriable: boolean): KafkaJSProtocolError {
  return new KafkaJSProtocolError({ type, code, retriable, message: `${type} message` } as unknown as Error);
}

describe('kafkaError', () => {
  it('maps an unreachable broker to KAFKA_UNAVAILABLE, retriable, even after kafkajs gave up retrying', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:1', { broker: '127.0.0.1:1' });
    const exhausted = new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 1000 });
    for (const err of [refused, exhausted]) {
      const mapped = kafkaError(err, 'connecting producer');
      expect(mapped).toBeInstanceOf(TributaryError);
      expect(mapped.code).toBe('KAFKA_UNAVAILABLE');
      expect(mapped.retriable).toBe(true);
      expect(mapped.message).toMatch(/^connecting producer: /);
      expect(mapped.cause).toBe(err);
    }
  });

  it('maps a coordinator not found (a broker restarting) to KAFKA_UNAVAILABLE, retriable', () => {
    // kafkajs's typings declare no constructor arguments, but the class needs its message.
    const CoordinatorNotFound = KafkaJSGroupCoordinatorNotFound as unknown as new (message: string) => Error & { retriable: boolean };
    const err = new CoordinatorNotFound('Failed to find group coordinator');
    expect(err.retriable).toBe(false);
    const mapped = kafkaError(err, 'producing in transaction');
    expect(mapped.code).toBe('KAFKA_UNAVAILABLE');
    expect(mapped.retriable).toBe(true);
  });

  it('maps a fenced producer to KAFKA_FENCED, never retriable', () => {
    const mapped = kafkaError(gaveUp(protocolError('INVALID_PRODUCER_EPOCH', 47, false)), 'committing transaction');
    expect(mapped.code).toBe('KAFKA_FENCED');
    expect(mapped.retriable).toBe(false);
    expect(kafkaError(protocolError('PRODUCER_FENCED', 90, false), 'x').code).toBe('KAFKA_FENCED');
  });

  it("takes retriable from kafkajs's own flag on the specific error", () => {
    const leader = kafkaError(protocolError('LEADER_NOT_AVAILABLE', 5, true), 'producing');
    expect(leader.code).toBe('KAFKA_REQUEST_FAILED');
    expect(leader.retriable).toBe(true);
    expect(leader.details.kafkaErrorType).toBe('LEADER_NOT_AVAILABLE');
    const rebalance = kafkaError(gaveUp(protocolError('REBALANCE_IN_PROGRESS', 27, false)), 'committing offsets');
    expect(rebalance.retriable).toBe(false);
    expect(rebalance.details.kafkaErrorType).toBe('REBALANCE_IN_PROGRESS');
  });

  it('lets a retriable cause win over the "gave up" wrapper', () => {
    const exhausted = new KafkaJSNumberOfRetriesExceeded(protocolError('NOT_COORDINATOR', 16, true), { retryCount: 5, retryTime: 1000 });
    expect(exhausted.retriable).toBe(false);
    expect(kafkaError(exhausted, 'x').retriable).toBe(true);
  });

  it('passes a TributaryError through and treats unknown errors as not retriable', () => {
    const own = new TributaryError('SINK_FAILED', 'writing rows: deadlock');
    expect(kafkaError(own, 'x')).toBe(own);
    const unknown = kafkaError(new TypeError('boom'), 'producing');
    expect(unknown.code).toBe('KAFKA_REQUEST_FAILED');
    expect(unknown.retriable).toBe(false);
  });
});
