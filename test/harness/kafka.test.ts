import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/sdk/logger.ts';
import { TributaryError } from '../../src/sdk/errors.ts';
import { startKafka } from './kafka.ts';
import { imageEnvName } from './kafka/settings.ts';
import { freePort } from './ports.ts';

// An environment with nothing in it: no KAFKA_BROKERS, a Docker endpoint that cannot answer, no java.
const bare: NodeJS.ProcessEnv = { PATH: '', DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

describe('startKafka without any Kafka available', () => {
  it('throws HARNESS_UNAVAILABLE naming what to install, instead of letting tests pass', async () => {
    const err = await startKafka({ env: bare, logger: silentLogger }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TributaryError);
    const { code, message } = err as TributaryError;
    expect(code).toBe('HARNESS_UNAVAILABLE');
    expect(message).toMatch(/Java 17\+ and Maven/);
    expect(message).toMatch(/Docker engine/);
    expect(message).toMatch(/KAFKA_BROKERS=/);
    expect(message).toMatch(/java not found on PATH/);
  });

  it('mentions only the sources it was asked to try', async () => {
    const err = (await startKafka({ env: bare, logger: silentLogger, kinds: ['jars'] }).catch((e: unknown) => e)) as TributaryError;
    expect(err.code).toBe('HARNESS_UNAVAILABLE');
    expect(err.message).not.toMatch(/KAFKA_BROKERS/);
  });

  it('fails, not skips, when KAFKA_BROKERS names nothing that serves', async () => {
    const port = await freePort();
    const err = (await startKafka({ env: { ...bare, KAFKA_BROKERS: `127.0.0.1:${port}` }, logger: silentLogger, startTimeoutMs: 1_500 }).catch((e: unknown) => e)) as TributaryError;
    expect(err.code).toBe('HARNESS_UNAVAILABLE');
    expect(err.message).toContain(`KAFKA_BROKERS=127.0.0.1:${port}`);
  });
});

describe('imageEnvName', () => {
  it('follows the apache/kafka image mapping of settings to environment variables', () => {
    expect(imageEnvName('offsets.topic.replication.factor')).toBe('KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR');
    expect(imageEnvName('a_b-c.d')).toBe('KAFKA_A__B___C_D');
  });
});
