import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin } from '../../../src/kafka/index.ts';
import { recordingLogger, testClient, uniqueName, type LogLine } from './helpers.ts';

describe('Admin', () => {
  const lines: LogLine[] = [];
  let admin: Admin;
  const created: string[] = [];

  beforeAll(async () => {
    admin = testClient(recordingLogger(lines)).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin.deleteTopics(created);
    await admin.disconnect();
    await admin.disconnect();
  });

  it('creates a topic with 6 partitions, and treats asking again as success', async () => {
    const topic = uniqueName('admin');
    created.push(topic);
    expect(await admin.ensureTopics([{ topic, partitions: 6, replicationFactor: 1, configs: { 'retention.ms': '3600000' } }])).toEqual([
      { topic, outcome: 'created', partitions: 6 },
    ]);
    expect(await admin.listTopics()).toContain(topic);
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.map((o) => o.partition)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(offsets.every((o) => o.low === '0' && o.high === '0')).toBe(true);

    expect(await admin.ensureTopics([{ topic, partitions: 6 }])).toEqual([{ topic, outcome: 'exists', partitions: 6 }]);
    expect(await admin.ensureTopics([{ topic, partitions: 3 }])).toEqual([{ topic, outcome: 'exists', partitions: 6 }]);
  });

  it('warns, and does not fail or add partitions, when an existing topic has fewer than asked', async () => {
    const topic = uniqueName('admin-fewer');
    created.push(topic);
    await admin.ensureTopics([{ topic, partitions: 2 }]);
    const before = lines.length;
    expect(await admin.ensureTopics([{ topic, partitions: 6 }])).toEqual([{ topic, outcome: 'exists-with-fewer-partitions', partitions: 2 }]);
    const warnings = lines.slice(before).filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({ topic, partitions: 2, requested: 6 });
    expect((await admin.fetchTopicOffsets(topic)).length).toBe(2);
  });

  it('creates only the missing topics of a mixed request', async () => {
    const existing = uniqueName('admin-mixed-a');
    const fresh = uniqueName('admin-mixed-b');
    created.push(existing, fresh);
    await admin.ensureTopics([{ topic: existing, partitions: 1 }]);
    const results = await admin.ensureTopics([
      { topic: existing, partitions: 1 },
      { topic: fresh, partitions: 3 },
    ]);
    expect(results).toEqual([
      { topic: existing, outcome: 'exists', partitions: 1 },
      { topic: fresh, outcome: 'created', partitions: 3 },
    ]);
  });

  it('reports no committed offsets for a group that never committed', async () => {
    const topic = uniqueName('admin-offsets');
    created.push(topic);
    await admin.ensureTopics([{ topic, partitions: 2 }]);
    expect(await admin.fetchCommittedOffsets(uniqueName('nobody'), [topic])).toEqual([
      { topic, partition: 0, offset: null },
      { topic, partition: 1, offset: null },
    ]);
  });

  it('deletes topics, ignoring ones that do not exist', async () => {
    const topic = uniqueName('admin-delete');
    await admin.ensureTopics([{ topic, partitions: 1 }]);
    await admin.deleteTopics([topic, uniqueName('never-existed')]);
    expect(await admin.listTopics()).not.toContain(topic);
    await admin.deleteTopics([topic]);
  });
});
