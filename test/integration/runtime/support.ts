import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaClient, Producer, ProducerTransaction } from '../../../src/kafka/client.ts';
import type { Logger } from '../../../src/sdk/index.ts';

/** A temp folder for one test, removed by `cleanup()`. */
export async function tempDir(prefix: string): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `${prefix}-`));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export async function writePipeline(dir: string, name: string, yaml: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, yaml);
  return file;
}

export interface FileSinkLine {
  topic: string;
  partition: number;
  offset: string;
  key: unknown;
  value: Record<string, unknown>;
}

/** Every line the file sink wrote under `dir`, parsed, with the partition taken from the line. */
export async function readFileSinkOutput(dir: string): Promise<FileSinkLine[]> {
  const lines: FileSinkLine[] = [];
  for (const name of await readdir(dir).catch(() => [])) {
    if (!name.endsWith('.jsonl')) continue;
    const text = await readFile(join(dir, name), 'utf8');
    for (const line of text.split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as FileSinkLine);
  }
  return lines;
}

/** A logger that keeps every message, so a test can check which recovery path ran. */
export function recordingLogger(messages: string[]): Logger {
  const log = (_obj: object, msg?: string): void => {
    if (msg !== undefined) messages.push(msg);
  };
  const logger: Logger = { trace: log, debug: log, info: log, warn: log, error: log, child: () => logger };
  return logger;
}

/** The real client, with a hook around each transaction commit (the commit itself still goes to the broker). */
export function aroundCommits(inner: KafkaClient, around: (commit: () => Promise<void>) => Promise<void>): KafkaClient {
  const wrapTransaction = (tx: ProducerTransaction): ProducerTransaction => ({
    send: (records) => tx.send(records),
    sendOffsets: (offsets) => tx.sendOffsets(offsets),
    abort: () => tx.abort(),
    commit: () => around(() => tx.commit()),
  });
  const wrapProducer = (p: Producer): Producer => ({
    connect: () => p.connect(),
    send: (records) => p.send(records),
    transaction: async () => wrapTransaction(await p.transaction()),
    disconnect: () => p.disconnect(),
  });
  return { producer: (options) => wrapProducer(inner.producer(options)), consumer: (options) => inner.consumer(options), admin: () => inner.admin() };
}
