/**
 * A consumer group survives a restart of the embedded broker as it survives one of Apache Kafka: the
 * broker stops without the members leaving and starts again on the same data directory and port. The
 * member that is still running carries on in the same generation (no JoinGroup, so kafkajs emits no
 * second GROUP_JOIN), committed offsets are intact, and a member that never comes back is removed one
 * session timeout after the restart, its partitions going to the member that stayed.
 *
 * The absent member runs in a child process, SIGKILLed while the broker is down, so it never sends a
 * LeaveGroup (an in-process kafkajs consumer always tries to leave on disconnect).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedBroker } from '../../../src/broker/index.ts';
import type { Logger } from '../../../src/sdk/logger.ts';
import { waitFor } from '../../conformance/support/client.ts';
import { uniqueName } from '../../harness/names.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** Long enough that the surviving member is back well before the absent one expires. */
const ABSENT_SESSION_TIMEOUT_MS = 25_000;

/** The absent member: a kafkajs consumer that prints each assignment it receives as a JSON line. */
const ABSENT_MEMBER = `
const { Kafka, logLevel } = require('kafkajs');
const [bootstrap, topic, groupId, sessionTimeout] = process.argv.slice(1);
const kafka = new Kafka({ brokers: [bootstrap], clientId: 'absent-member', logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId, sessionTimeout: Number(sessionTimeout), heartbeatInterval: 500, maxWaitTimeInMs: 200 });
consumer.on(consumer.events.GROUP_JOIN, (e) => {
  process.stdout.write(JSON.stringify({ memberId: e.payload.memberId, assignment: e.payload.memberAssignment }) + '\\n');
});
(async () => {
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async () => {} });
})().catch((err) => { process.stderr.write(String(err) + '\\n'); process.exit(1); });
`;

interface Join {
  memberId: string;
  assignment: Record<string, number[]>;
}

/** Broker warnings and errors on stderr; the group coordinator's info lines kept for failure messages. */
function brokerLogger(lines: string[]): Logger {
  const keep =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
      if (level !== 'info') process.stderr.write(`[embedded-broker] ${level} ${msg ?? ''} ${JSON.stringify(obj)}\n`);
    };
  const logger: Logger = { trace: () => {}, debug: () => {}, info: keep('info'), warn: keep('warn'), error: keep('error'), child: () => logger };
  return logger;
}

function startAbsentMember(bootstrap: string, topic: string, groupId: string, joins: Join[]): ChildProcess {
  const child = spawn(process.execPath, ['-e', ABSENT_MEMBER, bootstrap, topic, groupId, String(ABSENT_SESSION_TIMEOUT_MS)], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  child.stdout?.on('data', (d: Buffer) => {
    buffered += d.toString();
    for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
      joins.push(JSON.parse(buffered.slice(0, nl)) as Join);
      buffered = buffered.slice(nl + 1);
    }
  });
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

const partitionsOf = (join: Join | undefined, topic: string): number[] => [...(join?.assignment[topic] ?? [])].sort();

describe('embedded broker restart with a live consumer group', () => {
  const cleanups: Array<() => Promise<void>> = [];

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it('keeps the group Stable for returning members, its offsets, and evicts the member that never returns', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tributary-group-restart-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const brokerLines: string[] = [];
    const logger = brokerLogger(brokerLines);
    let broker = await EmbeddedBroker.start({ dataDir, logger });
    cleanups.push(() => broker.stop());
    const port = broker.port;
    const topic = uniqueName('group-restart');
    const groupId = uniqueName('group-restart-group');

    const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'group-restart', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
    await admin.disconnect();

    const produce = async (partition: number, values: string[]): Promise<void> => {
      const producer: Producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: values.map((value) => ({ partition, value })) });
      await producer.disconnect();
    };
    const committed = async (): Promise<Map<number, string>> => {
      const a = kafka.admin();
      await a.connect();
      try {
        const [res] = await a.fetchOffsets({ groupId, topics: [topic] });
        return new Map((res?.partitions ?? []).map((p) => [p.partition, p.offset]));
      } finally {
        await a.disconnect();
      }
    };
    const describeGroup = async (): Promise<{ state: string; memberIds: string[] }> => {
      const a = kafka.admin();
      await a.connect();
      try {
        const { groups } = await a.describeGroups([groupId]);
        return { state: groups[0]?.state ?? '', memberIds: (groups[0]?.members ?? []).map((m) => m.memberId).sort() };
      } finally {
        await a.disconnect();
      }
    };

    // The member that stays: in this process, so its GROUP_JOIN events can be counted.
    const stayJoins: Join[] = [];
    const consumed: string[] = [];
    const stay: Consumer = kafka.consumer({ groupId, heartbeatInterval: 500, maxWaitTimeInMs: 200, retry: { retries: 10 } });
    cleanups.push(() => stay.disconnect());
    stay.on(stay.events.GROUP_JOIN, (e) => void stayJoins.push({ memberId: e.payload.memberId, assignment: e.payload.memberAssignment }));
    await stay.connect();
    await stay.subscribe({ topic, fromBeginning: true });
    await stay.run({ eachMessage: async ({ partition, message }) => void consumed.push(`${partition}:${message.value?.toString() ?? ''}`) });
    await waitFor('the first member to join', () => stayJoins.length > 0, 60_000);

    // The member that will not come back.
    const absentJoins: Join[] = [];
    const absent = startAbsentMember(broker.bootstrap, topic, groupId, absentJoins);
    cleanups.push(async () => {
      absent.kill('SIGKILL');
      await exited(absent);
    });
    await waitFor(
      'one partition each',
      () => partitionsOf(stayJoins.at(-1), topic).length === 1 && partitionsOf(absentJoins.at(-1), topic).length === 1 && absentJoins.at(-1)?.memberId !== undefined,
      60_000,
      100,
    );
    const stayMember = stayJoins.at(-1)!.memberId;
    const absentMember = absentJoins.at(-1)!.memberId;
    const [stayPartition] = partitionsOf(stayJoins.at(-1), topic) as [number];
    const absentPartition = 1 - stayPartition;
    await waitFor('the group to settle', async () => (await describeGroup()).state === 'Stable', 30_000, 200);
    expect(partitionsOf(absentJoins.at(-1), topic)).toEqual([absentPartition]);

    await produce(stayPartition, ['s1', 's2', 's3']);
    await produce(absentPartition, ['a1', 'a2']);
    await waitFor('the staying member to consume its partition', () => consumed.length === 3, 30_000);
    await waitFor('both partitions committed', async () => {
      const c = await committed();
      return c.get(stayPartition) === '3' && c.get(absentPartition) === '2';
    }, 30_000, 200);
    const joinsBefore = stayJoins.length;

    // Restart: stop in-process (no member leaves), kill the absent member meanwhile, start on the same data and port.
    await broker.stop();
    absent.kill('SIGKILL');
    await exited(absent);
    broker = await EmbeddedBroker.start({ dataDir, logger, port });
    const restartedAt = brokerLines.length;

    expect(await committed()).toEqual(new Map([
      [stayPartition, '3'],
      [absentPartition, '2'],
    ]));
    const restored = await describeGroup();
    expect(restored.state).toBe('Stable');
    expect(restored.memberIds).toEqual([stayMember, absentMember].sort());

    // The staying member goes on fetching and committing in the same generation: no new join.
    await produce(stayPartition, ['s4']);
    await waitFor('the staying member to consume after the restart', () => consumed.includes(`${stayPartition}:s4`), 60_000);
    await waitFor('its commit after the restart', async () => (await committed()).get(stayPartition) === '4', 30_000, 200);
    const diagnostics = (): string => brokerLines.slice(restartedAt).join('\n');
    expect(stayJoins.length, diagnostics()).toBe(joinsBefore);
    expect((await describeGroup()).memberIds, diagnostics()).toEqual([stayMember, absentMember].sort());

    // The absent member's session ends (counted from the restart); the staying member takes both partitions.
    await waitFor('the absent member to be evicted', () => partitionsOf(stayJoins.at(-1), topic).length === 2, ABSENT_SESSION_TIMEOUT_MS + 60_000, 200);
    expect(stayJoins.length).toBe(joinsBefore + 1);
    expect(stayJoins.at(-1)?.memberId).toBe(stayMember);
    expect(brokerLines.slice(restartedAt).some((l) => l.includes('member session expired') && l.includes(absentMember)), diagnostics()).toBe(true);

    // It resumes the absent member's partition from that member's committed offset: nothing is read twice.
    await produce(absentPartition, ['a3']);
    await waitFor('the taken-over partition', () => consumed.includes(`${absentPartition}:a3`), 60_000);
    expect(consumed.filter((c) => c.startsWith(`${absentPartition}:`))).toEqual([`${absentPartition}:a3`]);
    expect(consumed.filter((c) => c.startsWith(`${stayPartition}:`))).toEqual(['s1', 's2', 's3', 's4'].map((v) => `${stayPartition}:${v}`));
    expect((await describeGroup()).memberIds).toEqual([stayMember]);
  });
});
