import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { FlatMessage } from '../../../connectors/mysql-binlog/output/canal-format.ts';
import { createKafkaClient, type KafkaClient } from '../../../src/kafka/index.ts';
import { silentLogger } from '../../../src/sdk/index.ts';
import { useMariaDb } from '../../harness/mariadb.ts';
import { uniqueName } from '../../harness/names.ts';
import { envCount, readTopic, sigkill, startCli, waitFor, type CliProcess } from '../exactly-once/support.ts';
import { tempDir, writePipeline } from '../runtime/support.ts';
import { uniqueDatabase } from './support.ts';

const ROWS = envCount('TRIBUTARY_CDC_SIGKILL_ROWS', 100_000);
const KILLS = envCount('TRIBUTARY_CDC_KILLS', 3);
const PLUGIN = fileURLToPath(new URL('../../../connectors/mysql-binlog/index.ts', import.meta.url));

const db = useMariaDb();
beforeAll(db.start);
afterAll(db.stop);

/** Sum of the topic's high watermarks: grows while the source commits (control records included). */
async function produced(client: KafkaClient, topic: string): Promise<number> {
  const admin = client.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  } catch {
    return 0;
  } finally {
    await admin.disconnect();
  }
}

describe('mysql-binlog pipeline, exactly once under SIGKILL', () => {
  const brokers = inject('kafkaBrokers');

  it(`holds each of ${ROWS} rows exactly once after ${KILLS} SIGKILLs of the pipeline during the load`, { timeout: 600_000 }, async () => {
    const dir = await tempDir('cdc-sigkill');
    const database = uniqueDatabase('sigkill');
    const name = uniqueName('cdc-sigkill');
    const topic = `cdc.${database}.t`;
    await db.server.query(`CREATE DATABASE \`${database}\``);
    await db.server.query(`CREATE TABLE \`${database}\`.t (id INT PRIMARY KEY, v VARCHAR(20), n BIGINT UNSIGNED)`);
    const file = await writePipeline(
      dir.path,
      'cdc',
      `name: ${name}
plugins:
  - ${PLUGIN}
kafka: { brokers: [${brokers.join(', ')}] }
source:
  connector: mysql-binlog
  config:
    host: ${db.server.host}
    port: ${db.server.port}
    user: root
    password: ""
    serverId: ${2000 + Math.floor(Math.random() * 1000)}
    include: ['${database}\\..*']
    snapshot: initial
    maxTransactionRows: 700
topic: { name: ${topic}, partitions: 3 }
keySerializer: { format: string }
`,
    );
    const client = createKafkaClient({ brokers }, { logger: silentLogger, clientId: name });
    const start = (): CliProcess => startCli(['run', file, '--role', 'source', '--keep-running']);
    // The pipeline starts on the empty table (its snapshot is empty), then the load begins and the
    // process is SIGKILLed and restarted while it streams.
    let p = start();
    await waitFor('the source to stream', () => p.output.join('').includes('connecting to the binlog'), 120_000, () => p.tail());
    let loading = true;
    const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 40));
    const load = (async () => {
      // Large transactions (each split into several Kafka transactions) and small ones, paced so
      // the kills land while the load is still going on.
      const big = Math.floor((ROWS * 0.9) / 1000);
      let next = 1;
      for (let i = 0; i < big; i++, next += 1000) {
        await db.server.query(`INSERT INTO \`${database}\`.t SELECT seq, CONCAT('v', seq), seq * 2 FROM \`${database}\`.seq_${next}_to_${next + 999}`);
        await pause();
      }
      for (; next <= ROWS; next += 50) {
        const end = Math.min(ROWS, next + 49);
        await db.server.query(`INSERT INTO \`${database}\`.t SELECT seq, 'small', 18446744073709551615 FROM \`${database}\`.seq_${next}_to_${end}`);
        await pause();
      }
      loading = false;
    })();
    const kills: string[] = [];
    try {
      for (let i = 0; i < KILLS; i++) {
        const before = await produced(client, topic);
        await waitFor(`progress after start ${i + 1}`, async () => (await produced(client, topic)) > before + 10, 120_000, () => p.tail());
        const delay = Math.floor(Math.random() * 1500);
        await new Promise((r) => setTimeout(r, delay));
        await sigkill(p);
        kills.push(`kill ${i + 1}: ${delay} ms after progress past ${before}; progress now ${await produced(client, topic)}; still loading: ${loading}`);
        p = start();
      }
      await load;
      await waitFor(
        `${ROWS} committed records in ${topic}`,
        async () => (await produced(client, topic)) >= ROWS && (await readTopic(client, topic)).length >= ROWS,
        300_000,
        () => `${kills.join('\n')}\n--- last run\n${p.tail()}`,
      );
    } finally {
      await sigkill(p);
      await load;
    }
    const messages = await readTopic(client, topic);
    const seen = new Map<number, number>();
    for (const m of messages) {
      const flat = JSON.parse(m.value?.toString() ?? '') as FlatMessage;
      const id = Number(flat.data?.[0]?.id);
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const repeated = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    const context = kills.join('\n');
    expect(kills.some((k) => k.endsWith('still loading: true')), `no kill landed during the load\n${context}`).toBe(true);
    expect(repeated.slice(0, 20), `ids delivered more than once\n${context}`).toEqual([]);
    expect(seen.size, context).toBe(ROWS);
    expect(messages.length).toBe(ROWS);
    await dir.cleanup();
  });
});
