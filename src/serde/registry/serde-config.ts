import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TributaryError, errorMessage } from '../../sdk/errors.ts';
import type { SerdeContext } from '../../sdk/serde.ts';
import type { ConfigSchema, PluginSpec } from '../../sdk/spec.ts';
import { SUBJECT_NAME_STRATEGIES, type SubjectNameStrategy } from '../subject-naming.ts';
import { SchemaRegistryClient } from './client.ts';

/** Config fields every registry-backed serde (avro, json-schema) shares. */
export interface RegistrySerdeConfig {
  registry?: string;
  registryUsername?: string;
  registryPassword?: string;
  registryPort?: number;
  subjectNameStrategy?: SubjectNameStrategy;
  autoRegister?: boolean;
  schemaFile?: string;
}

export const EMBEDDED = 'embedded';

export const REGISTRY_CONFIG_PROPERTIES: Record<string, ConfigSchema> = {
  registry: {
    type: 'string',
    minLength: 1,
    default: EMBEDDED,
    description:
      '`embedded`: the pipeline\'s own Confluent-compatible registry, served on 127.0.0.1 and kept in the compacted topic `_tributary-schemas` of the pipeline\'s cluster. Otherwise the URL of a Confluent-compatible registry (Confluent, Karapace, Redpanda, Apicurio ccompat); several instances comma-separated.',
  },
  registryUsername: { type: 'string', default: '', description: 'Basic-auth user for a registry URL (Confluent Cloud: the API key). Empty: no authentication.' },
  registryPassword: { type: 'string', default: '', secret: true, description: 'Basic-auth password for a registry URL (Confluent Cloud: the API secret).' },
  registryPort: {
    type: 'integer',
    minimum: 0,
    maximum: 65535,
    default: 0,
    description: 'With `registry: embedded`: the port it listens on (0: any free port; the URL is logged). The pipeline has one embedded registry: the first serde to start it picks the port.',
  },
  subjectNameStrategy: {
    type: 'string',
    enum: [...SUBJECT_NAME_STRATEGIES],
    default: 'topic',
    description: 'Registry subject of a schema: `topic` (<topic>-key / <topic>-value), `record` (the record\'s full name) or `topic-record` (<topic>-<record name>), as Confluent\'s subject.name.strategy.',
  },
  autoRegister: {
    type: 'boolean',
    default: true,
    description: 'Register a schema the registry does not have yet (Confluent\'s auto.register.schemas). false: only look it up; records whose schema is not registered fail.',
  },
};

/**
 * The spec of a registry-backed serde: the shared registry fields plus `schemaFile`, whose meaning
 * (an .avsc file, a JSON Schema file) each serde describes.
 */
export function registrySerdeSpec(o: { name: string; summary: string; schemaFileDescription: string }): PluginSpec & { kind: 'serde' } {
  return {
    name: o.name,
    kind: 'serde',
    summary: o.summary,
    version: '1.0.0',
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ...REGISTRY_CONFIG_PROPERTIES,
        schemaFile: { type: 'string', default: '', description: o.schemaFileDescription },
      },
    },
  };
}

/**
 * The registry a serde talks to, connected on first use: an embedded registry is started by the
 * runtime (ctx.services) only when a record needs it. Config problems are reported at construction.
 */
export class RegistryConnection {
  private client: Promise<SchemaRegistryClient> | undefined;

  constructor(private readonly ctx: SerdeContext<RegistrySerdeConfig>) {
    const registry = ctx.config.registry ?? EMBEDDED;
    if (registry === EMBEDDED) {
      if (ctx.services?.embeddedSchemaRegistry === undefined) {
        throw new TributaryError('CONFIG_INVALID', 'registry: "embedded" needs the pipeline runtime, which starts the registry; here there is none, so give the URL of a schema registry');
      }
      return;
    }
    for (const url of urls(registry)) {
      try {
        const parsed = new URL(url);
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http or https');
      } catch (err) {
        throw new TributaryError('CONFIG_INVALID', `registry: "${redactUserInfo(url)}" is neither "embedded" nor a valid http(s) URL (${errorMessage(err)})`);
      }
    }
  }

  get(): Promise<SchemaRegistryClient> {
    this.client ??= this.connect();
    this.client.catch(() => {
      this.client = undefined;
    });
    return this.client;
  }

  private async connect(): Promise<SchemaRegistryClient> {
    const { config, clock, logger, services } = this.ctx;
    const registry = config.registry ?? EMBEDDED;
    if (registry === EMBEDDED) {
      const start = services?.embeddedSchemaRegistry;
      if (start === undefined) throw new TributaryError('INTERNAL', 'embedded schema registry starter vanished');
      const url = await start({ port: config.registryPort ?? 0 });
      return new SchemaRegistryClient({ urls: [url], clock, logger });
    }
    const username = config.registryUsername ?? '';
    return new SchemaRegistryClient({ urls: urls(registry), clock, logger, ...(username === '' ? {} : { auth: { username, password: config.registryPassword ?? '' } }) });
  }
}

function urls(registry: string): string[] {
  return registry
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
}

function redactUserInfo(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * The text of the config's `schemaFile`, resolved against the pipeline file's folder (ctx.baseDir),
 * or the working directory when the serde is built outside a pipeline. Undefined when not set.
 */
export function readSchemaFile(ctx: SerdeContext<RegistrySerdeConfig>): { path: string; text: string } | undefined {
  const file = ctx.config.schemaFile ?? '';
  if (file === '') return undefined;
  const path = resolve(ctx.baseDir ?? process.cwd(), file);
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (err) {
    throw new TributaryError('CONFIG_INVALID', `schemaFile: cannot read ${path}: ${errorMessage(err)}`, { cause: err });
  }
}
