import { readFileSync } from 'node:fs';
import { createBuiltinRegistry } from '../builtins.ts';
import { createLogger, type LogLevel } from '../runtime/logger.ts';
import { TributaryError, errorMessage } from '../sdk/errors.ts';
import { BROKER_HELP, DLQ_HELP, MAIN_HELP, PLUGINS_HELP, RUN_HELP, TEST_HELP, VALIDATE_HELP } from './help.ts';
import { ExitCode, type CommandIo } from './io.ts';

const LEVELS: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'silent'];
const COMMAND_HELP: Record<string, string> = { run: RUN_HELP, validate: VALIDATE_HELP, test: TEST_HELP, plugins: PLUGINS_HELP, broker: BROKER_HELP, dlq: DLQ_HELP };

/**
 * The command layer: parse arguments, wire services, listen for signals. Everything else lives in
 * the modules it calls. Returns the process exit code.
 */
export async function main(argv: string[], overrides: Partial<CommandIo> = {}): Promise<number> {
  const stdout = overrides.stdout ?? process.stdout;
  const stderr = overrides.stderr ?? process.stderr;
  const { args, level, help } = extractGlobals(argv, overrides.env ?? process.env);
  if (level !== undefined && !LEVELS.includes(level as LogLevel)) {
    stderr.write(`--log-level must be one of ${LEVELS.join(', ')}, not "${level}"\n`);
    return ExitCode.usage;
  }
  const [command, ...rest] = args;
  if (command === '--version' || command === '-v' || command === 'version') {
    stdout.write(`${version()}\n`);
    return ExitCode.ok;
  }
  if (command === undefined || command === 'help') {
    stdout.write(COMMAND_HELP[rest[0] ?? ''] ?? MAIN_HELP);
    return command === undefined && !help ? ExitCode.usage : ExitCode.ok;
  }
  if (help) {
    stdout.write(COMMAND_HELP[command] ?? MAIN_HELP);
    return ExitCode.ok;
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts > 1) {
      stderr.write(`${sig} again: exiting without a clean shutdown\n`);
      process.exit(130);
    }
    stderr.write(`${sig} received: stopping (flushing and committing; press Ctrl-C again to force)\n`);
    controller.abort(sig);
  };
  const installSignals = overrides.signal === undefined;
  if (installSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const io: CommandIo = {
    stdout,
    stderr,
    env: overrides.env ?? process.env,
    registry: overrides.registry ?? createBuiltinRegistry(),
    signal: overrides.signal ?? controller.signal,
    logger: overrides.logger ?? createLogger({ level: (level ?? 'info') as LogLevel }),
  };
  try {
    switch (command) {
      case 'run': {
        const { runCommand } = await import('./commands/run.ts');
        return await runCommand(rest, io);
      }
      case 'validate': {
        const { validateCommand } = await import('./commands/validate.ts');
        return await validateCommand(rest, io);
      }
      case 'test': {
        const { testCommand } = await import('./commands/test.ts');
        return await testCommand(rest, io);
      }
      case 'plugins': {
        const { pluginsCommand } = await import('./commands/plugins.ts');
        return pluginsCommand(rest, io);
      }
      case 'dlq': {
        const { dlqCommand } = await import('./commands/dlq.ts');
        return await dlqCommand(rest, io);
      }
      case 'broker': {
        const { brokerCommand } = await import('./commands/broker.ts');
        return await brokerCommand(rest, io);
      }
      default:
        stderr.write(`unknown command "${command}"\n\n${MAIN_HELP}`);
        return ExitCode.usage;
    }
  } catch (err) {
    if (err instanceof TributaryError && err.code === 'USAGE') {
      stderr.write(`${err.message}\n`);
      return ExitCode.usage;
    }
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      stderr.write(`${err.message} (see \`tributary help ${command}\`)\n`);
      return ExitCode.usage;
    }
    stderr.write(`${command} failed: ${errorMessage(err)}\n`);
    return ExitCode.failed;
  } finally {
    if (installSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

/** Pulls the options every command accepts out of argv, wherever they appear. */
function extractGlobals(argv: string[], env: NodeJS.ProcessEnv): { args: string[]; level: string | undefined; help: boolean } {
  const args: string[] = [];
  let level = env.TRIBUTARY_LOG_LEVEL;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-h' || a === '--help') help = true;
    else if (a === '--log-level') level = argv[++i];
    else if (a.startsWith('--log-level=')) level = a.slice('--log-level='.length);
    else args.push(a);
  }
  return { args, level, help };
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return `tributary ${pkg.version}`;
}
