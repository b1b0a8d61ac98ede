import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { advertisedVersions, buildApiTable } from '../../../src/broker/handler/api-table.ts';
import type { BrokerServices } from '../../../src/broker/handler/context.ts';

const PROTOCOL = fileURLToPath(new URL('../../../src/broker/protocol/', import.meta.url));

describe('ApiVersions', () => {
  const advertised = advertisedVersions(buildApiTable({} as BrokerServices));

  it('advertises these ranges, chosen so kafkajs 2.2.4 and librdkafka 2.x both negotiate a version', () => {
    const byName = Object.fromEntries(advertised.map((a) => [a.apiKey, `${a.minVersion}-${a.maxVersion}`]));
    expect(byName).toEqual({
      0: '3-8', // Produce
      1: '4-11', // Fetch
      2: '1-5', // ListOffsets
      3: '0-8', // Metadata
      8: '2-7', // OffsetCommit
      9: '1-5', // OffsetFetch
      10: '0-3', // FindCoordinator
      11: '0-5', // JoinGroup
      12: '0-3', // Heartbeat
      13: '0-3', // LeaveGroup
      14: '0-3', // SyncGroup
      15: '0-4', // DescribeGroups
      16: '0-2', // ListGroups
      18: '0-3', // ApiVersions
      19: '2-4', // CreateTopics
      20: '1-3', // DeleteTopics
      22: '0-4', // InitProducerId
      24: '0-2', // AddPartitionsToTxn
      25: '0-2', // AddOffsetsToTxn
      26: '0-2', // EndTxn
      28: '0-2', // TxnOffsetCommit
      32: '1-2', // DescribeConfigs
    });
  });

  it('advertises exactly the version files that exist, one per version', () => {
    const files = readdirSync(PROTOCOL, { recursive: true, encoding: 'utf8' }).filter((f) => /-v\d+\.ts$/.test(f));
    const expected = advertised.reduce((n, a) => n + a.maxVersion - a.minVersion + 1, 0);
    expect(files).toHaveLength(expected);
  });
});
