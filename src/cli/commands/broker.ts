/**
 * `tributary broker --data-dir D --port P [--host H]`: runs the embedded broker standalone until
 * SIGINT/SIGTERM, so several tributary processes or any Kafka tool can share it.
 */
import { resolve } from 'node:path';
import type { Logger } from '../../sdk/logger.ts';
import { errorMessage } from '../../sdk/errors.ts';
import { ExitCode } from '../io.ts';

export const DEFAULT_DATA_DIR = '.tributary';
export const DEFAULT_PORT = 9092;

export interface BrokerCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  logger: Logger;
  /** Aborted on SIGINT/SIGTERM: the broker stops cleanly and the command returns. */
  signal: AbortSignal;
}

interface BrokerArgs {
  dataDir: string;
  port: number;
  host: string;
}

const FLAGS = ['--data-dir', '--port', '--host'] as const;

/** Parses `--flag value` and `--flag=value`; returns a usage message on error. */
export function parseBrokerArgs(argv: string[]): BrokerArgs | { usage: string } {
  const values: Partial<Record<(typeof FLAGS)[number], string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = (eq > 0 ? arg.slice(0, eq) : arg) as (typeof FLAGS)[number];
    if (!FLAGS.includes(flag)) return { usage: `unknown argument "${arg}"` };
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') return { usage: `${flag} needs a value` };
    values[flag] = value;
  }
  const port = values['--port'] === undefined ? DEFAULT_PORT : Number(values['--port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return { usage: `--port must be an integer from 0 to 65535, not "${values['--port']}"` };
  return { dataDir: resolve(values['--data-dir'] ?? DEFAULT_DATA_DIR), port, host: values['--host'] ?? '127.0.0.1' };
}

export async function brokerCommand(argv: string[], io: BrokerCommandIo): Promise<number> {
  const args = parseBrokerArgs(argv);
  if ('usage' in args) {
    io.stderr.write(`${args.usage}\nusage: tributary broker [--data-dir D] [--port P] [--host H]\n`);
    return ExitCode.usage;
  }
  if (io.signal.aborted) return ExitCode.ok;
  const { EmbeddedBroker } = await import('../../broker/index.ts');
  let broker: Awaited<ReturnType<typeof EmbeddedBroker.start>>;
  try {
    broker = await EmbeddedBroker.start({ dataDir: args.dataDir, host: args.host, port: args.port, logger: io.logger });
  } catch (err) {
    io.stderr.write(`starting broker on ${args.host}:${args.port}: ${errorMessage(err)}\n`);
    return ExitCode.failed;
  }
  io.stdout.write(`broker listening on ${broker.bootstrap} (data: ${args.dataDir}) — try: kcat -b ${broker.bootstrap} -L\n`);
  await new Promise<void>((done) => {
    if (io.signal.aborted) done();
    else io.signal.addEventListener('abort', () => done(), { once: true });
  });
  await broker.stop();
  io.stdout.write('broker stopped\n');
  return ExitCode.ok;
}
