import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { brokerCommand, parseBrokerArgs } from '../../../src/cli/commands/broker.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { waitFor } from '../../conformance/support/client.ts';

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('tributary broker', () => {
  it('parses flags in both --flag value and --flag=value forms', () => {
    expect(parseBrokerArgs(['--data-dir', '/d', '--port=1234', '--host', '0.0.0.0'])).toEqual({ dataDir: '/d', port: 1234, host: '0.0.0.0' });
    expect(parseBrokerArgs(['--port', 'x'])).toEqual({ usage: '--port must be an integer from 0 to 65535, not "x"' });
    expect(parseBrokerArgs(['--nope'])).toEqual({ usage: 'unknown argument "--nope"' });
  });

  it('rejects bad arguments with the usage exit code', async () => {
    const err = capture();
    const code = await brokerCommand(['--port', '-1'], { stdout: capture().stream, stderr: err.stream, logger: silentLogger, signal: new AbortController().signal });
    expect(code).toBe(2);
    expect(err.text()).toContain('--port must be');
  });

  it('prints where it listens, serves clients, and stops cleanly on the signal', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tributary-broker-cmd-'));
    dirs.push(dataDir);
    const out = capture();
    const stop = new AbortController();
    const done = brokerCommand(['--data-dir', dataDir, '--port', '0'], { stdout: out.stream, stderr: capture().stream, logger: silentLogger, signal: stop.signal });
    await waitFor('the listening line', () => out.text().includes('broker listening on'), 20_000);
    const m = /broker listening on (127\.0\.0\.1:\d+) \(data: (.*)\) — try: kcat -b \1 -L/.exec(out.text());
    expect(m?.[2]).toBe(dataDir);
    const admin = new Kafka({ brokers: [m?.[1] as string], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'from-cli', numPartitions: 2 }] });
    expect(await admin.listTopics()).toContain('from-cli');
    await admin.disconnect();
    stop.abort();
    expect(await done).toBe(0);
    expect(out.text()).toContain('broker stopped');
  });
});
