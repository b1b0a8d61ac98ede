import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedBrokerProcess } from '../../harness/embedded-broker-process.ts';
import { uniqueName } from '../../harness/names.ts';
import { createDatabase } from '../../harness/postgres.ts';
import { tempDir } from '../runtime/support.ts';
import {
  createOrdersTable,
  envInt,
  lastError,
  positions,
  recover,
  reportStatus,
  seededRandom,
  sleep,
  sourceFinished,
  startPipelineProcesses,
  stopSinks,
  superviseOwnExits,
  verify,
  waitForRows,
  writeChaosPipeline,
  releaseChaos,
  type ChaosResources,
} from './chaos-run.ts';
import { ProcessPool } from './process-pool.ts';

/**
 * The exactly-once proof across crashes of the embedded broker: `tributary broker` runs as its own OS
 * process; datagen orders -> 6-partition topic on it -> 3 PostgreSQL sink workers, each in its own
 * process. While records flow, the broker is SIGKILLed (no flush, no clean shutdown, open transactions
 * and group generations left as they were), kept down a couple of seconds, and started again on the
 * same port and data directory; several times. Processes that give up during an outage are restarted,
 * as a service manager would; a process stopped by a record applied twice fails the test, and so does a
 * broker that stops by itself. At the end PostgreSQL must hold exactly the generated rows, each applied
 * once, the topic must hold each generated id once (read_committed, from the recovered broker), and each
 * stored position must lie between the partition's last record and its end.
 *
 * Bounded by env:
 *   TRIBUTARY_CHAOS_EMBEDDED_ROWS (8000), TRIBUTARY_CHAOS_EMBEDDED_KILLS (2),
 *   TRIBUTARY_CHAOS_EMBEDDED_DOWN_MS (how long the broker stays down, 2000, plus up to as much again),
 *   TRIBUTARY_CHAOS_EMBEDDED_RECOVERY_MS (after the last restart: for the source to finish and the sinks
 *   to drain, 60000), TRIBUTARY_CHAOS_SEED (kill timing and datagen seed; random, printed),
 *   TRIBUTARY_CHAOS_VERBOSE=1 (a status line every 5 s, and the broker's kills and restarts),
 *   TRIBUTARY_CHAOS_LOG_DIR (each process's whole output in <dir>/<name>.log, the broker's in broker.log).
 */
const ROWS = envInt('TRIBUTARY_CHAOS_EMBEDDED_ROWS', 8_000);
const KILLS = envInt('TRIBUTARY_CHAOS_EMBEDDED_KILLS', 2);
const DOWN_MS = envInt('TRIBUTARY_CHAOS_EMBEDDED_DOWN_MS', 2_000);
const RECOVERY_MS = envInt('TRIBUTARY_CHAOS_EMBEDDED_RECOVERY_MS', 60_000);
const SEED = envInt('TRIBUTARY_CHAOS_SEED', randomInt(1, 2 ** 31));
/** How long the source's output is spread over: long enough that every kill lands while records flow. */
const PHASE_MS = (KILLS + 1) * 8_000;
/** How long each kill may wait for its share of the rows to be stored. */
const SHARE_TIMEOUT_MS = 30_000;
const LOG_DIR = process.env.TRIBUTARY_CHAOS_LOG_DIR;
const VERBOSE = process.env.TRIBUTARY_CHAOS_VERBOSE === '1';

let res: ChaosResources = {};
afterEach(async () => {
  await releaseChaos(res);
  res = {};
});

function note(started: number, line: string): void {
  if (VERBOSE) process.stderr.write(`[chaos +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
}

describe('SIGKILL chaos on the embedded broker: datagen -> tributary broker -> 3 PostgreSQL sink processes, exactly once', () => {
  it(
    `keeps every row exactly once while the embedded broker process is SIGKILLed ${KILLS} times mid-run`,
    async () => {
      const started = Date.now();
      const random = seededRandom(SEED + 2);
      res.dir = await tempDir('tributary-chaos-embedded');
      const logDir = LOG_DIR === undefined || LOG_DIR === '' ? undefined : LOG_DIR;
      const broker = await EmbeddedBrokerProcess.start({ dataDir: join(res.dir.path, 'broker-data'), logFile: logDir === undefined ? undefined : join(logDir, 'broker.log') });
      res.stopBroker = () => broker.kill();
      note(started, `broker pid ${broker.pid()} listening on ${broker.brokers.join(',')}`);

      const rate = Math.max(50, Math.ceil(ROWS / (PHASE_MS / 1000)));
      res.db = await createDatabase('chaos_embedded');
      const db = res.db;
      await createOrdersTable(db);
      const p = await writeChaosPipeline(res.dir.path, { name: uniqueName('chaos_embedded'), brokers: broker.brokers, seed: SEED, rows: ROWS, rate });
      res.pool = new ProcessPool({ ...process.env, PG_URL: db.url, TRIBUTARY_LOG_LEVEL: 'info' });
      const pool = res.pool;
      startPipelineProcesses(pool, p);
      res.stopStatus = reportStatus(pool, db);

      // Processes that give up while the broker is down are restarted (and reported); a double apply
      // throws. The broker itself must only ever stop because it was killed.
      const supervisePipeline = superviseOwnExits(pool, p);
      const supervise = (): ReturnType<typeof supervisePipeline> => {
        const own = broker.ownExits();
        if (own.length > 0) throw new Error(`the broker stopped by itself:\n${own.map((e) => `--- code ${e.code}, signal ${e.signal}\n${e.tail}`).join('\n')}`);
        return supervisePipeline();
      };

      let outages = 0;
      /** Rows stored when each kill landed, and whether the source was still producing then. */
      const atKill: Array<{ rows: number; flowing: boolean }> = [];
      let downMs = 0;
      let restartMs = 0;
      for (let i = 0; i < KILLS; i++) {
        // Mid-run means while records flow: wait for a share of the rows to be stored first.
        const target = Math.floor(((i + 1) * ROWS) / (KILLS + 2));
        await waitForRows(db, target, SHARE_TIMEOUT_MS, supervise);
        await sleep(Math.round(1_000 * random()));
        const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
        const flowing = !sourceFinished(pool);
        await broker.kill();
        outages++;
        const killedAt = Date.now();
        atKill.push({ rows: row?.n ?? 0, flowing });
        note(started, `broker SIGKILLed (${outages}/${KILLS}) with ${row?.n} rows stored`);
        // Down long enough for every client to notice: requests fail, connections are refused.
        await sleep(Math.round(DOWN_MS * (1 + random())));
        supervise();
        const restarting = Date.now();
        await broker.restart();
        restartMs = Math.max(restartMs, Date.now() - restarting);
        downMs += Date.now() - killedAt;
        note(started, `broker restarted as pid ${broker.pid()} after ${Date.now() - killedAt} ms down (start took ${Date.now() - restarting} ms)`);
      }
      await recover(pool, p, db, RECOVERY_MS, supervise);
      const slowStops = await stopSinks(pool);
      const restarted = supervise();
      const verdict = await verify(db, p, broker.brokers);
      console.log(
        `[chaos] embedded broker SIGKILLs ${outages}, rows ${verdict.rows}/${ROWS}, rate ${rate}/s, seed ${SEED}, total ${((Date.now() - started) / 1000).toFixed(1)} s, ` +
          `rows stored at the kills ${atKill.map((k) => k.rows).join(', ')}, broker down (kill to serving again) ${(downMs / 1000).toFixed(1)} s in all, slowest restart ${restartMs} ms, ` +
          `double applies ${verdict.doubleApplied}, topic records ${verdict.topicRecords} (${verdict.topicIds} ids), positions ${positions(verdict)}, ` +
          `sinks not stopped 10 s after SIGTERM: ${slowStops.join(', ') || 'none'}, processes that gave up during an outage and were restarted: ${restarted.length}${restarted.map((e) => `\n  ${e.name}: ${lastError(e.tail)}`).join('')}`,
      );
      expect(outages).toBe(KILLS);
      // Every kill landed mid-run: the source still producing, rows still missing from the table.
      expect(atKill.filter((k) => k.flowing && k.rows < ROWS)).toHaveLength(KILLS);
      expect(broker.ownExits()).toEqual([]);
      expect(verdict.problems).toEqual([]);
      expect(verdict.rows).toBe(ROWS);
      expect(verdict.doubleApplied).toBe(0);
      expect(verdict.topicRecords).toBe(ROWS);
      expect(verdict.topicIds).toBe(ROWS);
      expect(verdict.offsets).toHaveLength(6);
    },
    // About 40 s in the default form; the bound (168 s then) leaves room for a loaded 2-core machine.
    60_000 + KILLS * (2 * DOWN_MS + 20_000) + RECOVERY_MS,
  );
});
