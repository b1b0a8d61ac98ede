/** Flexible versions no captured client uses (kafkajs and librdkafka stop short of them) still round-trip. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../src/broker/index.ts';
import { ApiKey } from '../../../src/broker/protocol/api.ts';
import * as findCoordinatorV3 from '../../../src/broker/protocol/find-coordinator/find-coordinator-v3.ts';
import * as initProducerIdV2 from '../../../src/broker/protocol/init-producer-id/init-producer-id-v2.ts';
import * as initProducerIdV3 from '../../../src/broker/protocol/init-producer-id/init-producer-id-v3.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { WireClient } from './wire-client.ts';

let dataDir: string;
let broker: EmbeddedBroker;
let wire: WireClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tributary-flexible-'));
  broker = await EmbeddedBroker.start({ dataDir, logger: silentLogger });
  wire = await WireClient.connect(broker.port);
});

afterAll(async () => {
  wire?.close();
  await broker?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('flexible versions', () => {
  it('FindCoordinator v3 names this broker for groups and transactions', async () => {
    for (const keyType of [0, 1]) {
      const res = await wire.send(ApiKey.FindCoordinator, 3, findCoordinatorV3, { key: 'k', keyType }, { flexible: true });
      expect(res).toEqual({ throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 0, host: '127.0.0.1', port: broker.port });
    }
    const bad = await wire.send(ApiKey.FindCoordinator, 3, findCoordinatorV3, { key: 'k', keyType: 7 }, { flexible: true });
    expect(bad.errorCode).toBe(42);
  });

  it('InitProducerId v2 and v3 hand out producer ids', async () => {
    const a = await wire.send(ApiKey.InitProducerId, 2, initProducerIdV2, { transactionalId: null, transactionTimeoutMs: 60_000 }, { flexible: true });
    expect(a.errorCode).toBe(0);
    const b = await wire.send(ApiKey.InitProducerId, 3, initProducerIdV3, { transactionalId: 'flex-txn', transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 }, { flexible: true });
    expect(b.errorCode).toBe(0);
    expect(b.producerId).not.toBe(a.producerId);
  });
});
