import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../src/broker/index.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { uniqueName } from '../../harness/names.ts';

const run = promisify(execFile);

async function kcat(args: string[], input?: string): Promise<string> {
  const child = run('kcat', args, { timeout: 30_000 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return (await child).stdout;
}

// kcat is a listed CI package (.ci/apt-packages.txt): its absence fails the suite rather than skipping it.
const kcatVersion = spawnSync('kcat', ['-V'], { encoding: 'utf8' });

describe('kcat (librdkafka CLI) against the embedded broker', () => {
  let dataDir: string;
  let broker: EmbeddedBroker;

  beforeAll(async () => {
    if (kcatVersion.error) throw new Error(`kcat is not installed (apt-get install kcat): ${kcatVersion.error.message}`);
    dataDir = await mkdtemp(join(tmpdir(), 'tributary-kcat-'));
    broker = await EmbeddedBroker.start({ dataDir, logger: silentLogger });
  });

  afterAll(async () => {
    await broker?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('lists the broker as controller in its metadata', async () => {
    const meta = JSON.parse(await kcat(['-b', broker.bootstrap, '-L', '-J'])) as { brokers: Array<{ id: number; name: string }>; controllerid: number };
    expect(meta.brokers).toEqual([{ id: 0, name: broker.bootstrap }]);
    expect(meta.controllerid).toBe(0);
  });

  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    it(`produces keyed ${codec} records to an auto-created topic and consumes them back`, async () => {
      const topic = uniqueName(`kcat-${codec}`);
      await kcat(['-b', broker.bootstrap, '-t', topic, '-P', '-K:', '-z', codec], 'k1:v1\nk2:v2\nk3:v3\n');
      const out = await kcat(['-b', broker.bootstrap, '-t', topic, '-C', '-o', 'beginning', '-e', '-q', '-f', '%k=%s@%o\n']);
      expect(out.trim().split('\n')).toEqual(['k1=v1@0', 'k2=v2@1', 'k3=v3@2']);
    });
  }

  it('consumes in a balanced group and resumes from the committed offset', async () => {
    const topic = uniqueName('kcat-group');
    const group = uniqueName('kcat-group');
    await kcat(['-b', broker.bootstrap, '-t', topic, '-P'], 'a\nb\nc\n');
    const first = await kcat(['-b', broker.bootstrap, '-G', group, '-o', 'beginning', '-c', '2', '-q', '-f', '%s\n', topic]);
    expect(first.trim().split('\n')).toEqual(['a', 'b']);
    const rest = await kcat(['-b', broker.bootstrap, '-G', group, '-e', '-q', '-f', '%s\n', topic]);
    expect(rest.trim().split('\n')).toEqual(['c']);
  });
});
