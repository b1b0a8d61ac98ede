import { plugins as datagenPlugins } from '../connectors/datagen/index.ts';
import { plugins as filePlugins } from '../connectors/file/index.ts';
import { plugins as kafkaPlugins } from '../connectors/kafka/index.ts';
import { plugins as mysqlBinlogPlugins } from '../connectors/mysql-binlog/index.ts';
import { plugins as postgresPlugins } from '../connectors/postgres/index.ts';
import { plugins as stdoutPlugins } from '../connectors/stdout/index.ts';
import { plugins as syslogPlugins } from '../connectors/syslog/index.ts';
import { PluginRegistry, type Plugin } from './sdk/index.ts';
import { builtinSerdes } from './serde/index.ts';
import { builtinPredicates, builtinTransforms } from './transforms/index.ts';

/** Every built-in plugin. Adding a built-in means adding it here; nothing registers itself on import. */
export const builtinPlugins: readonly Plugin[] = [
  ...datagenPlugins,
  ...filePlugins,
  ...kafkaPlugins,
  ...mysqlBinlogPlugins,
  ...postgresPlugins,
  ...stdoutPlugins,
  ...syslogPlugins,
  ...builtinTransforms,
  ...builtinPredicates,
  ...builtinSerdes,
];

export function createBuiltinRegistry(): PluginRegistry {
  const registry = new PluginRegistry();
  for (const plugin of builtinPlugins) registry.register(plugin);
  return registry;
}
