import { randomInt } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { startKafka } from '../../harness/kafka.ts';
import { uniqueName } from '../../harness/names.ts';
import { createDatabase, type PostgresDatabase } from '../../harness/postgres.ts';
import { tempDir } from '../runtime/support.ts';
import {
  argsFor,
  assertNoOwnExits,
  awaitTransaction,
  createOrdersTable,
  describeTopicDuplicates,
  envInt,
  lastError,
  positions,
  recover,
  reportStatus,
  seededRandom,
  SINKS,
  sleep,
  SOURCE,
  sourceFinished,
  startPipelineProcesses,
  stopSinks,
  superviseOwnExits,
  verify,
  waitForRows,
  writeChaosPipeline,
  releaseChaos,
  type ChaosPipeline,
  type ChaosResources,
} from './chaos-run.ts';
import { ProcessPool } from './process-pool.ts';

/**
 * The exactly-once proof: datagen orders -> 6-partition topic -> 3 PostgreSQL sink workers, each in
 * its own OS process, while a driver SIGKILLs a random process (the source included) every few
 * seconds and restarts it. At the end PostgreSQL must hold exactly the generated rows, row by row,
 * each applied once (insert mode into a primary key, plus a per-row apply counter); the topic must
 * hold each generated id once; and each stored position must lie between the partition's last record
 * and its end.
 *
 * Bounded by env, so CI runs a short form and a long one is a variable away:
 *   TRIBUTARY_CHAOS_ROWS (20000; 200000 on demand), TRIBUTARY_CHAOS_KILLS (20),
 *   TRIBUTARY_CHAOS_INTERVAL_MS (mean time between kills, 2500, jittered +-50%),
 *   TRIBUTARY_CHAOS_AIM_MS (how long a sink kill waits for its victim to be mid-transaction, 1500),
 *   TRIBUTARY_CHAOS_SEED (kill schedule and datagen seed; random, printed),
 *   TRIBUTARY_CHAOS_KAFKA_RESTART=0 (skip the Apache Kafka broker-restart variant, which starts its own broker),
 *   TRIBUTARY_CHAOS_BROKER_ROWS (8000), TRIBUTARY_CHAOS_BROKER_KILLS (2),
 *   TRIBUTARY_CHAOS_RECOVERY_MS (120000), TRIBUTARY_CHAOS_VERBOSE=1 (a status line every 5 s),
 *   TRIBUTARY_CHAOS_LOG_DIR (each process's whole output in <dir>/<name>.log).
 */
const ROWS = envInt('TRIBUTARY_CHAOS_ROWS', 20_000);
const KILLS = envInt('TRIBUTARY_CHAOS_KILLS', 20);
const INTERVAL_MS = envInt('TRIBUTARY_CHAOS_INTERVAL_MS', 2_500);
const SEED = envInt('TRIBUTARY_CHAOS_SEED', randomInt(1, 2 ** 31));
const BROKER_ROWS = envInt('TRIBUTARY_CHAOS_BROKER_ROWS', 8_000);
const BROKER_KILLS = envInt('TRIBUTARY_CHAOS_BROKER_KILLS', 2);
/** How long a kill may wait for its sink victim to be inside a PostgreSQL transaction. */
const AIM_MS = envInt('TRIBUTARY_CHAOS_AIM_MS', 1_500);
/** After the last disruption: time for the source to finish and the sinks to drain (a killed member holds its partitions for the 6 s session timeout). */
const RECOVERY_MS = envInt('TRIBUTARY_CHAOS_RECOVERY_MS', 120_000);

let res: ChaosResources = {};
afterEach(async () => {
  await releaseChaos(res);
  res = {};
});

async function setUp(brokers: string[], rows: number, rate: number, prefix: string): Promise<{ p: ChaosPipeline; pool: ProcessPool; db: PostgresDatabase }> {
  res.dir = await tempDir('tributary-chaos');
  res.db = await createDatabase(prefix);
  await createOrdersTable(res.db);
  const p = await writeChaosPipeline(res.dir.path, { name: uniqueName(prefix), brokers, seed: SEED, rows, rate });
  res.pool = new ProcessPool({ ...process.env, PG_URL: res.db.url, TRIBUTARY_LOG_LEVEL: 'info' });
  startPipelineProcesses(res.pool, p);
  res.stopStatus = reportStatus(res.pool, res.db);
  return { p, pool: res.pool, db: res.db };
}

describe('SIGKILL chaos: datagen -> Kafka -> 3 PostgreSQL sink processes, exactly once', () => {
  it(
    `keeps every row exactly once while ${KILLS} random processes are SIGKILLed and restarted`,
    async () => {
      const started = Date.now();
      const random = seededRandom(SEED);
      // The source is paced to span the kill phase, so kills land while records are flowing.
      const rate = Math.max(50, Math.ceil(ROWS / ((KILLS * INTERVAL_MS) / 1000)));
      const { p, pool, db } = await setUp(inject('kafkaBrokers'), ROWS, rate, 'chaos_kill');
      const names = [SOURCE, ...SINKS];
      // Every process is a victim some time: the first kills go round, the rest are random.
      const schedule = Array.from({ length: KILLS }, (_, i) => (i < names.length ? names[(i + 1) % names.length] : names[Math.floor(random() * names.length)]) as string);
      const kills = new Map<string, number>(names.map((n) => [n, 0]));
      let midTransaction = 0;
      for (const planned of schedule) {
        await sleep(Math.round(INTERVAL_MS * (0.5 + random())));
        assertNoOwnExits(pool);
        // Once the source has produced everything it is gone for good; its kill goes to a sink.
        const victim = planned === SOURCE && sourceFinished(pool) ? (SINKS[Math.floor(random() * SINKS.length)] as string) : planned;
        // A sink is killed the moment it is inside a batch's transaction, if that happens soon.
        if (victim !== SOURCE && (await awaitTransaction(db, pool.pid(victim), AIM_MS))) midTransaction++;
        if (await pool.kill(victim)) kills.set(victim, (kills.get(victim) ?? 0) + 1);
        pool.start(victim, argsFor(victim, p));
      }
      const killPhaseMs = Date.now() - started;
      await recover(pool, p, db, RECOVERY_MS, () => assertNoOwnExits(pool));
      const slowStops = await stopSinks(pool);
      assertNoOwnExits(pool);
      const verdict = await verify(db, p, inject('kafkaBrokers'));
      const totalKills = [...kills.values()].reduce((a, b) => a + b, 0);
      console.log(
        `[chaos] rows ${verdict.rows}/${ROWS}, kills ${totalKills} (${[...kills].map(([n, k]) => `${n} ${k}`).join(', ')}; ` +
          `sink kills inside an open PostgreSQL transaction ${midTransaction}), ` +
          `rate ${rate}/s, seed ${SEED}, kill phase ${(killPhaseMs / 1000).toFixed(1)} s, total ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
          `double applies ${verdict.doubleApplied}, topic records ${verdict.topicRecords} (${verdict.topicIds} ids), positions ${positions(verdict)}, ` +
          `sinks not stopped 10 s after SIGTERM: ${slowStops.join(', ') || 'none'}`,
      );
      expect(totalKills).toBeGreaterThanOrEqual(KILLS);
      expect(kills.get(SOURCE)).toBeGreaterThan(0);
      expect(verdict.problems).toEqual([]);
      expect(verdict.rows).toBe(ROWS);
      expect(verdict.doubleApplied).toBe(0);
      expect(verdict.topicRecords).toBe(ROWS);
      expect(verdict.topicIds).toBe(ROWS);
      expect(verdict.offsets).toHaveLength(6);
    },
    KILLS * (INTERVAL_MS * 1.5 + AIM_MS) + RECOVERY_MS + 60_000,
  );

  // Apache Kafka restarted after a SIGKILL can complete a transaction without writing its markers
  // (its partitions have no leader yet), leaving the records open until the producer's next marker;
  // a source that resent such a delivery published it twice, which this test used to catch about
  // once in six runs. The source now recognises that case (source-worker-kafka-restart.test.ts
  // provokes it on purpose). On failure the test prints how kcat (librdkafka, read_committed)
  // reads the topic, and TRIBUTARY_CHAOS_LOG_DIR keeps every process's output.
  it.runIf(process.env.TRIBUTARY_CHAOS_KAFKA_RESTART !== '0')(
    `keeps every row exactly once while the Kafka broker is SIGKILLed ${BROKER_KILLS} times mid-run`,
    async () => {
      const started = Date.now();
      const random = seededRandom(SEED + 1);
      const kafka = await startKafka({ kinds: ['jars'] });
      res.stopBroker = () => kafka.stop();
      const phaseMs = (BROKER_KILLS + 1) * 4 * INTERVAL_MS;
      const rate = Math.max(50, Math.ceil(BROKER_ROWS / (phaseMs / 1000)));
      const { p, pool, db } = await setUp(kafka.brokers, BROKER_ROWS, rate, 'chaos_broker');
      // Processes that give up while the broker is down are restarted (and reported), as a service
      // manager would; the guarantee under test is that nothing is lost or applied twice meanwhile.
      const supervise = superviseOwnExits(pool, p);
      let outages = 0;
      try {
        for (let i = 0; i < BROKER_KILLS; i++) {
          // Mid-run means while records flow: wait for a share of the rows to be stored first (a
          // broker lost while the processes are still starting is a different test).
          const target = Math.floor(((i + 1) * BROKER_ROWS) / (BROKER_KILLS + 2));
          await waitForRows(db, target, 120_000, supervise);
          await sleep(Math.round(INTERVAL_MS * random()));
          await kafka.kill?.();
          outages++;
          // Down long enough for every client to notice: requests fail, connections are refused.
          await sleep(Math.round(INTERVAL_MS * (1 + random())));
          await kafka.restart?.();
        }
        await recover(pool, p, db, RECOVERY_MS, supervise);
      } catch (err) {
        // Which side doubled a record: the topic (source) or the table (sink)?
        throw new Error(`${(err as Error).message}\n${await describeTopicDuplicates(kafka.brokers, p.topic)}`);
      }
      const slowStops = await stopSinks(pool);
      const restarted = supervise();
      const verdict = await verify(db, p, kafka.brokers);
      console.log(
        `[chaos] broker SIGKILLs ${outages}, rows ${verdict.rows}/${BROKER_ROWS}, rate ${rate}/s, seed ${SEED}, total ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
          `double applies ${verdict.doubleApplied}, topic records ${verdict.topicRecords} (${verdict.topicIds} ids), positions ${positions(verdict)}, ` +
          `sinks not stopped 10 s after SIGTERM: ${slowStops.join(', ') || 'none'}, processes that gave up during an outage and were restarted: ${restarted.length}${restarted.map((e) => `\n  ${e.name}: ${lastError(e.tail)}`).join('')}`,
      );
      expect(outages).toBe(BROKER_KILLS);
      expect(verdict.problems).toEqual([]);
      expect(verdict.rows).toBe(BROKER_ROWS);
      expect(verdict.doubleApplied).toBe(0);
      expect(verdict.topicRecords).toBe(BROKER_ROWS);
      expect(verdict.topicIds).toBe(BROKER_ROWS);
      expect(verdict.offsets).toHaveLength(6);
    },
    BROKER_KILLS * (120_000 + 4 * INTERVAL_MS + 60_000) + RECOVERY_MS + 180_000,
  );
});
