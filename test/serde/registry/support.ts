import { silentLogger } from '../../../src/sdk/logger.ts';
import type { SerdeCallContext, SerdeContext, SerdePlugin, SerdeServices } from '../../../src/sdk/serde.ts';
import { EmbeddedSchemaRegistry } from '../../../src/serde/registry/embedded-registry.ts';
import { MemorySchemaLog } from '../../../src/serde/registry/schema-log.ts';
import type { SchemaLogRecord } from '../../../src/serde/registry/schema-state.ts';
import { Ajv } from 'ajv';
import { systemClock } from '../../../src/sdk/clock.ts';

/** An embedded registry over an in-memory log; pass the same `records` to a second one to simulate a restart. */
export async function memoryRegistry(records: SchemaLogRecord[] = []): Promise<EmbeddedSchemaRegistry & { records: SchemaLogRecord[] }> {
  const registry = await EmbeddedSchemaRegistry.start({ log: new MemorySchemaLog(records), logger: silentLogger });
  return Object.assign(registry, { records });
}

/** Services as the runtime gives them, answering with an already running registry. */
export function servicesFor(url: string): SerdeServices & { starts: number } {
  const services = {
    starts: 0,
    embeddedSchemaRegistry: async () => {
      services.starts++;
      return url;
    },
  };
  return services;
}

/**
 * A serde context built the way the runtime builds it: the config checked against the plugin's spec
 * (strictly, knowing Tributary's `secret` annotation, as the pipeline loader does) with defaults filled in.
 */
export function serdeContext<C>(plugin: SerdePlugin<C>, config: Record<string, unknown>, extra: { isKey?: boolean; services?: SerdeServices; baseDir?: string } = {}): SerdeContext<C> {
  const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addKeyword({ keyword: 'secret', schemaType: 'boolean' });
  const validate = ajv.compile({ ...plugin.spec.config, additionalProperties: false });
  const copy = structuredClone(config);
  if (!validate(copy)) throw new Error(`config rejected by ${plugin.spec.name}'s spec: ${ajv.errorsText(validate.errors)}`);
  const ctx: SerdeContext<C> = { config: copy as C, pipeline: 'test', logger: silentLogger, clock: systemClock, isKey: extra.isKey ?? false };
  if (extra.services !== undefined) ctx.services = extra.services;
  if (extra.baseDir !== undefined) ctx.baseDir = extra.baseDir;
  return ctx;
}

export function call(topic: string, isKey = false): SerdeCallContext {
  return { topic, isKey, headers: [] };
}
