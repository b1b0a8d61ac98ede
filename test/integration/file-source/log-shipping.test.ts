import { appendFile, copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBuiltinRegistry } from '../../../src/builtins.ts';
import { createKafkaClient } from '../../../src/kafka/index.ts';
import { loadPipelineFile } from '../../../src/pipeline/load.ts';
import { PipelineRunner } from '../../../src/runtime/pipeline-runner.ts';
import { systemClock } from '../../../src/sdk/clock.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { uniqueName } from '../../harness/names.ts';
import { waitFor } from '../../support/wait-for.ts';
import { readFileSinkOutput, tempDir } from '../runtime/support.ts';
import { TopicReader } from './support.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const FIXTURE = join(ROOT, 'test/fixtures/logs/nginx-access.log');

describe('pipelines/log-shipping.yaml on real Kafka', () => {
  const brokers = inject('kafkaBrokers');
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir('tributary-log-shipping');
  });
  afterAll(async () => {
    await dir.cleanup();
  });

  it('ships the sample access log parsed into fields, follows new lines, and sets unparsed lines aside', { timeout: 180_000 }, async () => {
    const log = join(dir.path, 'access.log');
    await copyFile(FIXTURE, log);
    const out = join(dir.path, 'out');
    const registry = createBuiltinRegistry();
    const { spec, errors } = await loadPipelineFile(join(ROOT, 'pipelines/log-shipping.yaml'), {
      env: { LOG_SHIPPING_INCLUDE: `${dir.path}/access.log*`, LOG_SHIPPING_OUT: out },
      registry,
    });
    expect(errors).toEqual([]);
    if (spec === undefined) throw new Error('no spec');
    // The shipped file as it is, pointed at this run's Kafka under names no other run uses.
    const name = uniqueName('log-shipping');
    const topic = `${name}.access`;
    spec.kafka = { brokers };
    spec.name = name;
    spec.topic.name = topic;
    spec.errors.deadLetterTopic = `${topic}.dlq`;
    for (const sink of spec.sinks) {
      sink.topics = [topic];
      sink.group = `${name}-${sink.name}`;
    }
    const unparsed = TopicReader.create(brokers, `${topic}.unparsed`, `${name}-unparsed`);
    await unparsed.start(3);
    const client = createKafkaClient(spec.kafka, { logger: silentLogger, clientId: name });
    const runner = new PipelineRunner({ spec, registry, client, logger: silentLogger, clock: systemClock, role: 'all', exitWhenDone: false, progressIntervalMs: 60_000 });
    const stop = new AbortController();
    const running = runner.run(stop.signal);
    let failed: unknown;
    running.catch((err: unknown) => {
      failed = err;
    });
    const shipped = async (): Promise<number> => {
      if (failed !== undefined) throw failed;
      return (await readFileSinkOutput(out)).length;
    };
    try {
      const fixtureLines = (await readFile(FIXTURE, 'utf8')).trim().split('\n');
      await waitFor('the sample log in the files', async () => (await shipped()) >= fixtureLines.length - 1, 90_000);
      // The pipeline keeps tailing: lines appended now arrive too.
      await appendFile(log, '192.0.2.1 - - [10/Mar/2024:15:00:00 +0100] "GET /health HTTP/1.1" 204 0 "-" "kube-probe/1.29"\n');
      await waitFor('the appended line', async () => (await shipped()) >= fixtureLines.length, 60_000);
      await waitFor('the unparsed line in its topic', () => unparsed.records.length >= 1, 60_000);
    } finally {
      stop.abort();
      await running.catch(() => undefined);
      await unparsed.stop();
    }

    const lines = await readFileSinkOutput(out);
    expect(lines.length).toBe(50);
    const values = lines.map((l) => l.value);
    for (const v of values) {
      expect(v).toMatchObject({ service: 'web', remote_addr: expect.any(String), status: expect.any(Number), body_bytes_sent: expect.any(Number) });
      expect(v.time).toMatch(/^2024-03-10T\d\d:\d\d:\d\dZ$|^2024-03-10T\d\d:\d\d:\d\d\.000Z$/);
    }
    const probe = lines.find((l) => l.value.path === '/health') as (typeof lines)[number] & { timestamp: number; headers?: Array<{ key: string; value: string }> };
    expect(probe.value).toEqual({
      remote_addr: '192.0.2.1',
      remote_user: null,
      time: '2024-03-10T14:00:00.000Z',
      request: 'GET /health HTTP/1.1',
      method: 'GET',
      path: '/health',
      protocol: 'HTTP/1.1',
      status: 204,
      body_bytes_sent: 0,
      http_referer: null,
      http_user_agent: 'kube-probe/1.29',
      service: 'web',
    });
    // setTimestamp: the Kafka timestamp is the time in the log line.
    expect(probe.timestamp).toBe(Date.UTC(2024, 2, 10, 14, 0, 0));
    expect(probe.headers).toContainEqual({ key: 'tributary.file.path', value: log });
    // All lines of the file share its fingerprint key, so one partition holds them in order.
    expect(new Set(lines.map((l) => l.partition)).size).toBe(1);
    const inTopicOrder = [...lines].sort((a, b) => Number(a.offset) - Number(b.offset)).map((l) => l.value.remote_addr);
    const inFileOrder = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('this line'))
      .map((l) => l.split(' ')[0]);
    expect(inTopicOrder).toEqual(inFileOrder);

    expect(unparsed.records.map((r) => ({ value: r.value, error: r.headers['tributary.parse.error'] }))).toEqual([
      { value: '"this line is not an access log entry"', error: 'parse-nginx: the line is not in the common or combined log format' },
    ]);
  });
});
