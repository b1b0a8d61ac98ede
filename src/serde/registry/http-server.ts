import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../../sdk/errors.ts';
import type { Logger } from '../../sdk/logger.ts';
import { RegistryError, SCHEMA_TYPES, type SchemaText, type SubjectVersion } from './model.ts';
import type { RegistryService, SchemaRequest } from './registry-service.ts';

/** Confluent's media type; clients send it and accept it (and plain application/json). */
export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** Schemas are small; a body beyond this is refused rather than buffered. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

type Query = URLSearchParams;
type Handler = (params: string[], query: Query, body: unknown) => Promise<unknown>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/**
 * The subset of Confluent Schema Registry's REST API that serializers, deserializers and the usual
 * tools call, served over HTTP on 127.0.0.1 only (no authentication: it is reachable from this
 * machine alone). Responses and errors (`{"error_code": 40401, "message": ...}`) are shaped as
 * Confluent's, so its clients, and Karapace's or @kafkajs/confluent-schema-registry, work unchanged.
 */
export class RegistryHttpServer {
  private server: Server | undefined;
  private readonly routes: Route[];

  constructor(
    private readonly service: RegistryService,
    private readonly logger: Logger,
  ) {
    const s = service;
    const deleted = (q: Query): boolean => q.get('deleted') === 'true';
    const permanent = (q: Query): boolean => q.get('permanent') === 'true';
    this.routes = [
      route('GET', '', async () => ({})),
      route('GET', '/schemas/types', async () => [...SCHEMA_TYPES]),
      route('GET', '/schemas/ids/(\\d+)', async ([id]) => schemaBody(await s.schemaById(Number(id)))),
      route('GET', '/schemas/ids/(\\d+)/schema', async ([id]) => JSON.parse((await s.schemaById(Number(id))).schema)),
      route('GET', '/schemas/ids/(\\d+)/versions', async ([id]) => s.usages(Number(id))),
      route('GET', '/subjects', async (_p, q) => s.subjects(deleted(q))),
      route('GET', '/subjects/([^/]+)/versions', async ([subject], q) => s.versions(subject as string, deleted(q))),
      route('POST', '/subjects/([^/]+)/versions', async ([subject], _q, body) => ({ id: await s.register(subject as string, body as SchemaRequest) })),
      route('GET', '/subjects/([^/]+)/versions/([^/]+)', async ([subject, v], q) => versionBody(await s.version(subject as string, v as string, deleted(q)))),
      route('GET', '/subjects/([^/]+)/versions/([^/]+)/schema', async ([subject, v], q) => JSON.parse((await s.version(subject as string, v as string, deleted(q))).schema)),
      route('DELETE', '/subjects/([^/]+)/versions/([^/]+)', async ([subject, v], q) => s.deleteVersion(subject as string, v as string, permanent(q))),
      route('POST', '/subjects/([^/]+)', async ([subject], q, body) => versionBody(await s.lookup(subject as string, body as SchemaRequest, deleted(q)))),
      route('DELETE', '/subjects/([^/]+)', async ([subject], q) => s.deleteSubject(subject as string, permanent(q))),
      route('GET', '/config', async () => ({ compatibilityLevel: await s.config(null, true) })),
      route('PUT', '/config', async (_p, _q, body) => ({ compatibility: await s.setConfig(null, levelOf(body)) })),
      route('GET', '/config/([^/]+)', async ([subject], q) => ({ compatibilityLevel: await s.config(subject as string, q.get('defaultToGlobal') === 'true') })),
      route('PUT', '/config/([^/]+)', async ([subject], _q, body) => ({ compatibility: await s.setConfig(subject as string, levelOf(body)) })),
      route('DELETE', '/config/([^/]+)', async ([subject]) => ({ compatibilityLevel: await s.deleteConfig(subject as string) })),
      route('POST', '/compatibility/subjects/([^/]+)/versions', async ([subject], q, body) => compatibilityBody(await s.testCompatibility(subject as string, undefined, body as SchemaRequest), q)),
      route('POST', '/compatibility/subjects/([^/]+)/versions/([^/]+)', async ([subject, v], q, body) =>
        compatibilityBody(await s.testCompatibility(subject as string, v as string, body as SchemaRequest), q),
      ),
    ];
  }

  /** Listens on 127.0.0.1:`port` (0: any free port) and returns the base URL. */
  async start(port: number): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    try {
      const matching = this.routes.filter((r) => r.pattern.test(path));
      const match = matching.find((r) => r.method === method);
      if (match === undefined) {
        if (matching.length > 0) throw new RegistryError(405, 405, 'HTTP 405 Method Not Allowed');
        throw new RegistryError(404, 404, 'HTTP 404 Not Found');
      }
      const params = (match.pattern.exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p));
      const body = method === 'POST' || method === 'PUT' ? await readJson(req) : undefined;
      send(res, 200, await match.handler(params, url.searchParams, body));
    } catch (err) {
      if (err instanceof RegistryError) {
        send(res, err.status, { error_code: err.errorCode, message: err.message });
        return;
      }
      this.logger.error({ err: errorMessage(err), method, path }, 'schema registry request failed');
      send(res, 500, { error_code: 50001, message: `Error in the backend data store: ${errorMessage(err)}` });
    }
  }
}

function route(method: string, path: string, handler: Handler): Route {
  return { method, pattern: new RegExp(`^${path}$`), handler };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': REGISTRY_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RegistryError(413, 413, `request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new RegistryError(400, 400, `Unexpected request body: ${errorMessage(err)}`);
  }
}

/** AVRO is the default type and left out, as Confluent's registry does. */
function schemaBody(schema: SchemaText): Record<string, unknown> {
  return schema.schemaType === 'AVRO' ? { schema: schema.schema } : { schemaType: schema.schemaType, schema: schema.schema };
}

function versionBody(v: SubjectVersion): Record<string, unknown> {
  return { subject: v.subject, version: v.version, id: v.id, ...schemaBody(v) };
}

function compatibilityBody(issues: string[], query: Query): Record<string, unknown> {
  const out: Record<string, unknown> = { is_compatible: issues.length === 0 };
  if (query.get('verbose') === 'true') out.messages = issues;
  return out;
}

function levelOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null ? (body as { compatibility?: unknown }).compatibility : undefined;
}
