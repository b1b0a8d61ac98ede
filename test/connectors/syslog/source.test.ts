import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PEER_HEADER, SyslogSourceTask, TRANSPORT_HEADER, type SyslogSourceConfig } from '../../../connectors/syslog/index.ts';
import { SYSLOG_DEFAULTS } from '../../../connectors/syslog/config.ts';
import { FramingError, SyslogFramer } from '../../../connectors/syslog/tcp-framing.ts';
import { silentLogger, systemClock, type SourceRecord } from '../../../src/sdk/index.ts';

const tasks: SyslogSourceTask[] = [];
afterEach(async () => {
  await Promise.all(tasks.splice(0).map((t) => t.stop()));
});

async function startTask(config: Partial<SyslogSourceConfig> = {}): Promise<SyslogSourceTask> {
  const task = new SyslogSourceTask({
    config: { ...SYSLOG_DEFAULTS, tcpPort: 0, udpPort: 0, pollIntervalMs: 20, ...config },
    pipeline: 'test',
    logger: silentLogger,
    clock: systemClock,
    taskId: 0,
    committedOffset: () => undefined,
  });
  tasks.push(task);
  await task.start();
  return task;
}

async function collect(task: SyslogSourceTask, n: number, timeoutMs = 10_000): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  const signal = new AbortController().signal;
  const deadline = Date.now() + timeoutMs;
  while (out.length < n && Date.now() < deadline) out.push(...(await task.poll(signal)));
  return out;
}

function tcpClient(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

describe('syslog source', () => {
  it('receives octet-counted and newline-delimited TCP frames split across writes', async () => {
    const task = await startTask({ udpPort: null });
    const client = await tcpClient(task.addresses.tcp as number);
    const a = '<34>1 2003-10-11T22:14:15.003Z host su - ID47 - hello';
    client.write(`${Buffer.byteLength(a)} ${a.slice(0, 10)}`);
    client.write(`${a.slice(10)}<13>Oct 11 22:14:15 host app: line one\r\n<13>Oct 11 22:14:16 host app: line`);
    client.end(' two\n');
    const records = await collect(task, 3);
    expect(records.map((r) => r.value)).toEqual([a, '<13>Oct 11 22:14:15 host app: line one', '<13>Oct 11 22:14:16 host app: line two']);
    expect(records[0]?.headers).toEqual([
      { key: PEER_HEADER, value: `127.0.0.1:${client.localPort}` },
      { key: TRANSPORT_HEADER, value: 'tcp' },
    ]);
    expect(records.map((r) => r.sourceOffset)).toEqual([{ received: 1 }, { received: 2 }, { received: 3 }]);
  });

  it('receives UDP datagrams, one message each', async () => {
    const task = await startTask({ tcpPort: null });
    const udp = createSocket('udp4');
    for (const m of ['<14>Oct 11 22:14:15 host a: one\n', '<14>Oct 11 22:14:15 host a: two']) {
      await new Promise<void>((resolve, reject) => udp.send(m, task.addresses.udp as number, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    }
    const records = await collect(task, 2);
    udp.close();
    expect(records.map((r) => r.value)).toEqual(['<14>Oct 11 22:14:15 host a: one', '<14>Oct 11 22:14:15 host a: two']);
    expect(records[1]?.headers).toContainEqual({ key: TRANSPORT_HEADER, value: 'udp' });
  });

  it('pauses TCP senders when the buffer is full and loses nothing', async () => {
    const task = await startTask({ udpPort: null, maxBuffered: 10, maxPollRecords: 7 });
    const client = await tcpClient(task.addresses.tcp as number);
    const count = 2000;
    let text = '';
    for (let i = 0; i < count; i++) text += `<13>Oct 11 22:14:15 host app: message ${i}\n`;
    client.end(text);
    const records = await collect(task, count);
    expect(records.map((r) => r.value)).toEqual(Array.from({ length: count }, (_, i) => `<13>Oct 11 22:14:15 host app: message ${i}`));
  });

  it('closes a TCP connection whose frame is larger than maxMessageBytes', async () => {
    const task = await startTask({ udpPort: null, maxMessageBytes: 64 });
    const client = await tcpClient(task.addresses.tcp as number);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.write(`500 ${'x'.repeat(100)}`);
    await closed;
    expect(await collect(task, 1, 200)).toEqual([]);
  });

  it('refuses to start with both listeners off', async () => {
    await expect(startTask({ tcpPort: null, udpPort: null })).rejects.toThrow(/tcpPort and udpPort are both null/);
  });
});

describe('syslog TCP framing', () => {
  it('keeps partial frames until they complete', () => {
    const f = new SyslogFramer(1000);
    expect(f.push(Buffer.from('5 ab'))).toEqual([]);
    expect(f.push(Buffer.from('cde6 ')).map(String)).toEqual(['abcde']);
    expect(f.push(Buffer.from('123456\nx')).map(String)).toEqual(['123456']);
  });

  it.each([
    ['a prefix without a space', '12345678901x'],
    ['a frame over the limit', '99 x'],
    ['a line over the limit without newline', 'y'.repeat(11)],
  ])('rejects %s', (_name, input) => {
    expect(() => new SyslogFramer(10).push(Buffer.from(input))).toThrow(FramingError);
  });
});
