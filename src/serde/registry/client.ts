import type { Clock } from '../../sdk/clock.ts';
import { errorMessage } from '../../sdk/errors.ts';
import type { Logger } from '../../sdk/logger.ts';
import { REGISTRY_CONTENT_TYPE } from './http-server.ts';
import { RegistryError, isSchemaType, type CompatibilityLevel, type SchemaText, type SubjectVersion } from './model.ts';

export interface BasicAuth {
  username: string;
  password: string;
}

export interface RetrySettings {
  /** Tries per request, the first included. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface SchemaRegistryClientOptions {
  /** Base URLs of the registry's instances, tried in order when one cannot be reached. May carry `user:password@`. */
  urls: string[];
  auth?: BasicAuth;
  clock: Clock;
  logger: Logger;
  requestTimeoutMs?: number;
  retry?: RetrySettings;
  /** The HTTP client; `globalThis.fetch` unless a test passes its own. */
  fetch?: typeof fetch;
}

export const DEFAULT_REGISTRY_RETRY: RetrySettings = { attempts: 4, initialDelayMs: 200, maxDelayMs: 3000 };
export const DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS = 30_000;

/** A failure the same request may not repeat: unreachable, timed out, overloaded, or a 5xx. */
export class RegistryUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegistryUnavailableError';
  }
}

/**
 * A client for any registry speaking Confluent's REST API (Confluent, Karapace, Redpanda, Apicurio's
 * ccompat API, and Tributary's embedded one), with the caches serdes need: an id per
 * (subject, schema) once registered or looked up, and a schema per id. Both are immutable facts in a
 * registry, so they are kept for the life of the client. Concurrent requests for the same key share
 * one HTTP call.
 *
 * Errors: a registry's error answer is a {@link RegistryError} (status and Confluent `error_code`);
 * a registry that cannot be reached (after `retry.attempts` with backoff on the injected clock) is a
 * {@link RegistryUnavailableError}. The password is sent only in the Authorization header, and never
 * logged.
 */
export class SchemaRegistryClient {
  private readonly bases: string[];
  private readonly authorization: string | undefined;
  private readonly ids = new Map<string, Promise<number>>();
  private readonly versions = new Map<string, Promise<SubjectVersion>>();
  private readonly schemas = new Map<number, Promise<SchemaText>>();
  private readonly fetch: typeof fetch;
  private readonly retry: RetrySettings;
  private readonly timeoutMs: number;

  constructor(private readonly o: SchemaRegistryClientOptions) {
    if (o.urls.length === 0) throw new Error('a schema registry client needs at least one URL');
    let auth = o.auth;
    this.bases = o.urls.map((raw) => {
      const url = new URL(raw);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`schema registry URL ${url.protocol}//${url.host} is not http(s)`);
      if (url.username !== '' && auth === undefined) auth = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
      url.username = '';
      url.password = '';
      return url.toString().replace(/\/+$/, '');
    });
    this.authorization = auth === undefined ? undefined : `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    this.fetch = o.fetch ?? globalThis.fetch;
    this.retry = o.retry ?? DEFAULT_REGISTRY_RETRY;
    this.timeoutMs = o.requestTimeoutMs ?? DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS;
  }

  /** The id of `schema` under `subject`, registering it as a new version if the registry does not have it. */
  register(subject: string, schema: SchemaText): Promise<number> {
    return cached(this.ids, `${subject}\n${schema.schemaType}\n${schema.schema}`, async () => {
      const body = await this.request<{ id: number }>('POST', `/subjects/${encodeURIComponent(subject)}/versions`, requestBody(schema));
      this.schemas.set(body.id, Promise.resolve(schema));
      return body.id;
    });
  }

  /** The version of `subject` holding exactly `schema`; a 40401/40403 RegistryError when there is none. */
  lookup(subject: string, schema: SchemaText): Promise<SubjectVersion> {
    return cached(this.versions, `${subject}\n${schema.schemaType}\n${schema.schema}`, async () => {
      const found = toSubjectVersion(await this.request<RawVersion>('POST', `/subjects/${encodeURIComponent(subject)}`, requestBody(schema)));
      this.schemas.set(found.id, Promise.resolve({ schema: found.schema, schemaType: found.schemaType }));
      return found;
    });
  }

  schemaById(id: number): Promise<SchemaText> {
    return cached(this.schemas, id, async () => {
      const body = await this.request<{ schema: string; schemaType?: string }>('GET', `/schemas/ids/${id}`);
      return { schema: body.schema, schemaType: isSchemaType(body.schemaType) ? body.schemaType : 'AVRO' };
    });
  }

  /** Not cached: versions come and go. */
  async version(subject: string, version: number | 'latest'): Promise<SubjectVersion> {
    return toSubjectVersion(await this.request<RawVersion>('GET', `/subjects/${encodeURIComponent(subject)}/versions/${version}`));
  }

  async subjects(): Promise<string[]> {
    return this.request<string[]>('GET', '/subjects');
  }

  async setCompatibility(subject: string | null, level: CompatibilityLevel): Promise<void> {
    await this.request('PUT', subject === null ? '/config' : `/config/${encodeURIComponent(subject)}`, { compatibility: level });
  }

  /** Whether `schema` could be registered under `subject` now; the registry's reasons when not. */
  async testCompatibility(subject: string, schema: SchemaText): Promise<{ compatible: boolean; messages: string[] }> {
    const body = await this.request<{ is_compatible: boolean; messages?: string[] }>('POST', `/compatibility/subjects/${encodeURIComponent(subject)}/versions?verbose=true`, requestBody(schema));
    return { compatible: body.is_compatible, messages: body.messages ?? [] };
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let delay = this.retry.initialDelayMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(method, path, body);
      } catch (err) {
        if (!(err instanceof RegistryUnavailableError) || attempt >= this.retry.attempts) throw err;
        this.o.logger.warn({ method, path, attempt, err: err.message }, 'schema registry request failed, retrying');
        await this.o.clock.sleep(Math.min(delay, this.retry.maxDelayMs));
        delay *= 2;
      }
    }
  }

  /** One try over the configured instances: the next instance is tried only when one cannot be reached. */
  private async once<T>(method: string, path: string, body: unknown): Promise<T> {
    let last: RegistryUnavailableError | undefined;
    for (const base of this.bases) {
      let response: Response;
      try {
        const headers: Record<string, string> = { accept: `${REGISTRY_CONTENT_TYPE}, application/json` };
        if (body !== undefined) headers['content-type'] = REGISTRY_CONTENT_TYPE;
        if (this.authorization !== undefined) headers.authorization = this.authorization;
        const init: RequestInit = { method, headers, signal: AbortSignal.timeout(this.timeoutMs) };
        if (body !== undefined) init.body = JSON.stringify(body);
        response = await this.fetch(`${base}${path}`, init);
      } catch (err) {
        last = new RegistryUnavailableError(`${method} ${base}${path}: ${causeMessage(err)}`, { cause: err });
        continue;
      }
      const text = await response.text();
      if (response.ok) return (text === '' ? undefined : JSON.parse(text)) as T;
      const error = errorFrom(response.status, text, `${method} ${base}${path}`);
      if (response.status >= 500 || response.status === 408 || response.status === 429) {
        last = new RegistryUnavailableError(error.message, { cause: error });
        continue;
      }
      throw error;
    }
    throw last ?? new RegistryUnavailableError(`${method} ${path}: no registry URL`);
  }
}

interface RawVersion {
  subject: string;
  version: number;
  id: number;
  schema: string;
  schemaType?: string;
}

function toSubjectVersion(raw: RawVersion): SubjectVersion {
  return { subject: raw.subject, version: raw.version, id: raw.id, schema: raw.schema, schemaType: isSchemaType(raw.schemaType) ? raw.schemaType : 'AVRO' };
}

/** AVRO is the default and left out, as Confluent's serializers send it. */
function requestBody(schema: SchemaText): Record<string, unknown> {
  return schema.schemaType === 'AVRO' ? { schema: schema.schema } : { schemaType: schema.schemaType, schema: schema.schema };
}

function errorFrom(status: number, text: string, what: string): RegistryError {
  let code = status;
  let message = text.trim() === '' ? `HTTP ${status}` : text.trim();
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    if (typeof body.error_code === 'number') code = body.error_code;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON (a proxy's error page): keep the text.
  }
  return new RegistryError(status, code, `${what}: ${message} (error ${code})`);
}

/** fetch hides the socket error behind "fetch failed"; the cause says what happened. */
function causeMessage(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  return cause === undefined ? errorMessage(err) : `${errorMessage(err)} (${errorMessage(cause)})`;
}

/** Shares one in-flight promise per key; a failure is forgotten so the next call asks again. */
function cached<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const promise = load();
  cache.set(key, promise);
  promise.catch(() => cache.delete(key));
  return promise;
}
