import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';

/** What every plugin instance receives when constructed. */
export interface PluginContext<Config = Record<string, unknown>> {
  /** The plugin's `config`, validated against its spec, defaults applied, `${env:...}` resolved. */
  config: Config;
  /** Pipeline name from the YAML. */
  pipeline: string;
  logger: Logger;
  clock: Clock;
}
