/**
 * SIGKILL the broker process mid-produce, start it again on the same data: every acknowledged record is
 * there, every batch served passes its CRC (no torn tail), committed group offsets are kept, and a
 * transaction left open by the crash never becomes visible to read_committed consumers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { readBatchHeader, splitBatches, verifyBatchCrc } from '../../../src/broker/log/record-batch.ts';
import { ApiKey } from '../../../src/broker/protocol/api.ts';
import * as fetchV4 from '../../../src/broker/protocol/fetch/fetch-v4.ts';
import { waitFor } from '../../conformance/support/client.ts';
import { freePort } from '../../harness/ports.ts';
import { WireClient } from '../../broker/server/wire-client.ts';

const CLI = fileURLToPath(new URL('../../../src/cli/tributary.js', import.meta.url));

function startBrokerProcess(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'broker', '--data-dir', dataDir, '--port', String(port), '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (output.includes('broker listening on')) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`broker exited (${code ?? signal}) before listening:\n${output}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

describe('broker process killed with SIGKILL mid-produce', () => {
  const dirs: string[] = [];
  let child: ChildProcess | null = null;

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
      await killed(child);
    }
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('recovers every acknowledged record, committed offsets, and no open transaction', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tributary-crash-'));
    dirs.push(dataDir);
    const port = await freePort();
    child = await startBrokerProcess(dataDir, port);
    const brokers = [`127.0.0.1:${port}`];
    const kafka = new Kafka({ brokers, clientId: 'crash', logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'crash', numPartitions: 3 }, { topic: 'crash-txn', numPartitions: 1 }] });
    await admin.setOffsets({ groupId: 'crash-group', topic: 'crash', partitions: [{ partition: 0, offset: '0' }] });
    await admin.disconnect();

    // A transaction left open by the crash.
    const txn = kafka.producer({ transactionalId: 'crash-txn-id', idempotent: true, maxInFlightRequests: 1, retry: { retries: 1 } });
    await txn.connect();
    const open = await txn.transaction();
    await open.send({ topic: 'crash-txn', messages: [{ value: 'never-committed' }] });

    // Producers with acks=all in flight when the process dies.
    const acked = new Set<string>();
    let stop = false;
    const writers = [0, 1, 2].map(async (w) => {
      const producer = kafka.producer({ retry: { retries: 0 } });
      await producer.connect();
      for (let i = 0; !stop; i++) {
        const batch = Array.from({ length: 20 }, (_, j) => ({ key: `w${w}`, value: `w${w}-${i}-${j}-${'p'.repeat(200)}` }));
        try {
          await producer.send({ topic: 'crash', acks: -1, messages: batch });
          for (const m of batch) acked.add(m.value);
        } catch {
          break;
        }
      }
      await producer.disconnect().catch(() => {});
    });
    await waitFor('some acknowledged records', () => acked.size >= 2000, 60_000);
    child.kill('SIGKILL');
    await killed(child);
    stop = true;
    await Promise.all(writers);
    await txn.disconnect().catch(() => {});

    child = await startBrokerProcess(dataDir, port);

    // Every batch on disk is whole: fetch raw and check each batch's CRC.
    const wire = await WireClient.connect(port);
    let fetched = 0;
    try {
      for (const partition of [0, 1, 2]) {
        let offset = 0n;
        for (;;) {
          const res = await wire.send(ApiKey.Fetch, 4, fetchV4, {
            replicaId: -1,
            maxWaitMs: 0,
            minBytes: 0,
            maxBytes: 4 * 1024 * 1024,
            isolationLevel: 0,
            topics: [{ topic: 'crash', partitions: [{ partition, fetchOffset: offset, partitionMaxBytes: 1024 * 1024 }] }],
          });
          const p = res.responses[0]?.partitions[0];
          expect(p?.errorCode).toBe(0);
          const records = p?.records ?? Buffer.alloc(0);
          if (records.length === 0) break;
          for (const batch of splitBatches(records)) {
            expect(verifyBatchCrc(batch)).toBe(true);
            const h = readBatchHeader(batch);
            fetched += h.recordCount;
            offset = h.baseOffset + BigInt(h.lastOffsetDelta) + 1n;
          }
        }
      }
    } finally {
      wire.close();
    }
    expect(fetched).toBeGreaterThanOrEqual(acked.size);

    const after = new Kafka({ brokers, clientId: 'crash-after', logLevel: logLevel.NOTHING });
    const seen = new Set<string>();
    const consumer = after.consumer({ groupId: 'crash-check', maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'crash', fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.add(message.value?.toString() ?? '') });
    await waitFor(`every acknowledged record (${acked.size})`, () => [...acked].every((v) => seen.has(v)), 60_000, 200);
    await consumer.disconnect();

    const admin2 = after.admin();
    await admin2.connect();
    const committed = await admin2.fetchOffsets({ groupId: 'crash-group', topics: ['crash'] });
    expect(committed[0]?.partitions.find((p) => p.partition === 0)?.offset).toBe('0');
    await admin2.disconnect();

    // The successor of the crashed transactional producer fences it; only its own records are visible.
    const successor = after.producer({ transactionalId: 'crash-txn-id', idempotent: true, maxInFlightRequests: 1 });
    await successor.connect();
    const t = await successor.transaction();
    await t.send({ topic: 'crash-txn', messages: [{ value: 'committed' }] });
    await t.commit();
    await successor.disconnect();
    const rc = after.consumer({ groupId: 'crash-rc', maxWaitTimeInMs: 100 });
    const rcSeen: string[] = [];
    await rc.connect();
    await rc.subscribe({ topic: 'crash-txn', fromBeginning: true });
    await rc.run({ eachMessage: async ({ message }) => void rcSeen.push(message.value?.toString() ?? '') });
    await waitFor('the successor transaction', () => rcSeen.includes('committed'), 60_000);
    await rc.disconnect();
    expect(rcSeen).toEqual(['committed']);

    child.kill('SIGTERM');
    await killed(child);
  });
});
