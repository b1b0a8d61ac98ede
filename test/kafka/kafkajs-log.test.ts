import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createKafkajsLogCreator } from '../../src/kafka/kafkajs-log.ts';
import type { Logger } from '../../src/sdk/logger.ts';

interface Line {
  level: string;
  obj: Record<string, unknown>;
  msg: string | undefined;
}

function recordingLogger(lines: Line[]): Logger {
  const at = (level: string) => (obj: object, msg?: string) => lines.push({ level, obj: obj as Record<string, unknown>, msg });
  const logger: Logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

function emit(lines: Line[], secrets: string[], namespace: string, level: logLevel, message: string, extra: Record<string, unknown> = {}): void {
  const log = createKafkajsLogCreator(recordingLogger(lines), { secrets })(logLevel.DEBUG);
  log({ namespace, level, label: logLevel[level] ?? '', log: { timestamp: 'ts', logger: 'kafkajs', message, ...extra } });
}

describe('kafkajs log forwarding', () => {
  // kafkajs INFO narrates its internals; the runtime logs the events users act on, so INFO is debug.
  it('maps kafkajs levels to ours (INFO to debug) and keeps the namespace and fields', () => {
    const lines: Line[] = [];
    emit(lines, [], 'Consumer', logLevel.ERROR, 'crash', { groupId: 'g' });
    emit(lines, [], 'Consumer', logLevel.WARN, 'w');
    emit(lines, [], 'Consumer', logLevel.INFO, 'i');
    emit(lines, [], 'Consumer', logLevel.DEBUG, 'd');
    expect(lines.map((l) => l.level)).toEqual(['error', 'warn', 'debug', 'debug']);
    expect(lines[0]).toEqual({ level: 'error', obj: { kafkajs: 'Consumer', groupId: 'g' }, msg: 'crash' });
  });

  it('never logs a SASL password, by field name or by value', () => {
    const lines: Line[] = [];
    const password = 'hunter2-very-secret';
    emit(lines, [password], 'SASLPlainAuthenticator', logLevel.ERROR, `auth failed for user with ${password}`, {
      sasl: { mechanism: 'plain', username: 'app', password },
      nested: { deeper: { password, note: `pw=${password}` } },
      list: [password],
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain(password);
    expect(lines[0]?.obj.sasl).toEqual({ mechanism: 'plain', username: 'app', password: '***' });
    expect(lines[0]?.msg).toBe('auth failed for user with ***');
  });

  it('demotes per-request error lines, retried CONCURRENT_TRANSACTIONS and the bounded-retries warning to debug', () => {
    const lines: Line[] = [];
    emit(lines, [], 'Connection', logLevel.ERROR, 'Response CreateTopics(key: 19, version: 3)', { error: 'Topic with this name already exists' });
    emit(lines, [], 'Connection', logLevel.ERROR, 'Connection error: ECONNREFUSED');
    emit(lines, [], 'Producer', logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees');
    emit(lines, [], 'Producer', logLevel.WARN, 'something else');
    emit(lines, [], 'Producer', logLevel.ERROR, 'Failed to send messages: The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing');
    emit(lines, [], 'Producer', logLevel.ERROR, 'Failed to send messages: Not authorized');
    expect(lines.map((l) => l.level)).toEqual(['debug', 'error', 'debug', 'warn', 'debug', 'error']);
  });

  it('summarises buffers instead of dumping them', () => {
    const lines: Line[] = [];
    emit(lines, [], 'Connection', logLevel.DEBUG, 'Request', { payload: Buffer.alloc(1024) });
    expect(lines[0]?.obj.payload).toBe('<1024 bytes>');
  });
});
