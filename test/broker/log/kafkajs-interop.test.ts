/**
 * What the log serves must decode with kafkajs's own fetch-path decoder: appended client batches,
 * control markers, LogAppendTime batches and batches rewritten by compaction (gzip included).
 */

import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartitionLog } from '../../../src/broker/log/partition-log.ts';
import { buildRecordBatch, splitBatches } from '../../../src/broker/log/record-batch.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { KAFKAJS_GZIP, kafkajsBatch, manualClock, tempDir, testConfig } from './support.ts';

interface KafkajsDecodedBatch {
  firstOffset: string;
  isControlBatch: boolean;
  inTransaction: boolean;
  lastOffsetDelta: number;
  records: Array<{ offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer> }>;
}

const require = createRequire(import.meta.url);
const KafkajsDecoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => object;
const decodeKafkajsBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (d: object) => Promise<KafkajsDecodedBatch>;

async function decodeAll(records: Buffer): Promise<KafkajsDecodedBatch[]> {
  return Promise.all(splitBatches(records).map((b) => decodeKafkajsBatch(new KafkajsDecoder(b))));
}

let dir: { path: string; cleanup(): Promise<void> };
const clock = manualClock(5_000_000);
let log: PartitionLog | undefined;

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await log?.close();
  log = undefined;
  await dir.cleanup();
});

describe('kafkajs decodes what the log serves', () => {
  it('client batches and transaction markers', async () => {
    log = await PartitionLog.open(dir.path, testConfig(), { clock, logger: silentLogger });
    await log.append([await kafkajsBatch([{ key: 'a', value: '1', timestamp: 10, headers: { h: 'v' } }], { producerId: 4n, producerEpoch: 0, firstSequence: 0, transactional: true })]);
    await log.append([await kafkajsBatch([{ key: 'b', value: '2', timestamp: 11 }, { key: 'c', value: '3', timestamp: 12 }], { compression: KAFKAJS_GZIP })]);
    await log.writeControlMarker({ producerId: 4n, producerEpoch: 0, commit: true, coordinatorEpoch: 0 });
    const batches = await decodeAll((await log.read(0n, 1 << 20, 'read_committed')).records);
    expect(batches.map((b) => [b.firstOffset, b.isControlBatch, b.inTransaction])).toEqual([
      ['0', false, true],
      ['1', false, false],
      ['3', true, true],
    ]);
    expect(batches[0]?.records[0]?.headers.h?.toString()).toBe('v');
    expect(batches[1]?.records.map((r) => [r.offset, r.value?.toString()])).toEqual([
      ['1', '2'],
      ['2', '3'],
    ]);
  });

  it('LogAppendTime batches', async () => {
    log = await PartitionLog.open(dir.path, testConfig({ messageTimestampType: 'LogAppendTime' }), { clock, logger: silentLogger });
    await log.append([await kafkajsBatch([{ key: 'a', value: '1', timestamp: 10 }])]);
    const [b] = await decodeAll((await log.read(0n, 1 << 20, 'read_uncommitted')).records);
    expect(b?.records[0]?.timestamp).toBe(String(clock.now()));
  });

  it('batches rewritten by compaction, with offset gaps', async () => {
    log = await PartitionLog.open(dir.path, testConfig({ cleanupPolicy: 'compact', segmentBytes: 400 }), { clock, logger: silentLogger });
    const put = (k: string, v: string, compression = 0): Buffer =>
      buildRecordBatch(
        [
          { key: Buffer.from(k), value: Buffer.from(v), timestamp: 1n },
          { key: Buffer.from(`${k}-other`), value: Buffer.from(v), timestamp: 2n },
        ],
        { compression },
      );
    await log.append([put('x', 'old', 1)]);
    await log.append([put('x', 'new')]);
    await log.append([put('y', 'only', 1)]);
    for (let i = 0; i < 8; i++) await log.append([put('fill', `f${i}`.padEnd(80, '.'))]);
    await log.compact();
    const batches = await decodeAll((await log.read(0n, 1 << 20, 'read_uncommitted')).records);
    const rows = batches.flatMap((b) => b.records.map((r) => [r.offset, r.key?.toString(), r.value?.toString()]));
    expect(rows.slice(0, 4)).toEqual([
      ['2', 'x', 'new'],
      ['3', 'x-other', 'new'],
      ['4', 'y', 'only'],
      ['5', 'y-other', 'only'],
    ]);
    // The first batch lost every record, so the first served batch starts at offset 2.
    expect(batches[0]?.firstOffset).toBe('2');
  });
});
