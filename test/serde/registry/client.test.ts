import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/sdk/clock.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { RegistryUnavailableError, SchemaRegistryClient } from '../../../src/serde/registry/client.ts';
import { RegistryError } from '../../../src/serde/registry/model.ts';

/** A stand-in registry answering from a handler, recording every request it got. */
interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

const servers: Server[] = [];

async function fakeRegistry(handle: (req: Seen, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'], body };
      seen.push(entry);
      handle(entry, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
  res.end(JSON.stringify(body));
}

/** Sleeps return at once and are recorded, so backoff is checked without waiting for it. */
function instantClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => 0, sleep: async (ms) => void sleeps.push(ms) };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const SCHEMA = { schema: '{"type":"string"}', schemaType: 'AVRO' as const };

describe('SchemaRegistryClient', () => {
  it('sends basic auth and Confluent\'s media type, and leaves AVRO out of the body as Confluent\'s serializers do', async () => {
    const fake = await fakeRegistry((_req, res) => json(res, 200, { id: 5 }));
    const client = new SchemaRegistryClient({ urls: [fake.url], auth: { username: 'key', password: 's3cr:et' }, clock: instantClock(), logger: silentLogger });
    expect(await client.register('t-value', SCHEMA)).toBe(5);
    expect(fake.seen).toEqual([
      { method: 'POST', url: '/subjects/t-value/versions', authorization: `Basic ${Buffer.from('key:s3cr:et').toString('base64')}`, contentType: 'application/vnd.schemaregistry.v1+json', body: '{"schema":"{\\"type\\":\\"string\\"}"}' },
    ]);
  });

  it('takes credentials from the URL and does not send them in it', async () => {
    const fake = await fakeRegistry((_req, res) => json(res, 200, { schema: '"int"' }));
    const client = new SchemaRegistryClient({ urls: [fake.url.replace('http://', 'http://user%40corp:p%2Fw@')], clock: instantClock(), logger: silentLogger });
    await client.schemaById(3);
    expect(fake.seen[0]?.authorization).toBe(`Basic ${Buffer.from('user@corp:p/w').toString('base64')}`);
    expect(fake.seen[0]?.url).toBe('/schemas/ids/3');
  });

  it('caches ids by subject and schema, and schemas by id, sharing one request between concurrent callers', async () => {
    const fake = await fakeRegistry((req, res) => (req.url.startsWith('/schemas/ids/') ? json(res, 200, { schemaType: 'JSON', schema: '{}' }) : json(res, 200, { id: 9 })));
    const client = new SchemaRegistryClient({ urls: [fake.url], clock: instantClock(), logger: silentLogger });
    const ids = await Promise.all([client.register('s', SCHEMA), client.register('s', SCHEMA), client.register('s', SCHEMA)]);
    expect(ids).toEqual([9, 9, 9]);
    // The registered schema is known by id without asking.
    expect(await client.schemaById(9)).toEqual(SCHEMA);
    expect(await client.schemaById(4)).toEqual({ schemaType: 'JSON', schema: '{}' });
    expect(await client.schemaById(4)).toEqual({ schemaType: 'JSON', schema: '{}' });
    expect(fake.seen.map((s) => s.url)).toEqual(['/subjects/s/versions', '/schemas/ids/4']);
    // Another subject is another registration.
    await client.register('u', SCHEMA);
    expect(fake.seen).toHaveLength(3);
  });

  it('retries a registry that answers 503 with backoff, then succeeds', async () => {
    let calls = 0;
    const fake = await fakeRegistry((_req, res) => (++calls < 3 ? json(res, 503, { error_code: 50003, message: 'busy' }) : json(res, 200, { id: 1 })));
    const clock = instantClock();
    const client = new SchemaRegistryClient({ urls: [fake.url], clock, logger: silentLogger, retry: { attempts: 4, initialDelayMs: 100, maxDelayMs: 150 } });
    expect(await client.register('s', SCHEMA)).toBe(1);
    expect(clock.sleeps).toEqual([100, 150]);
  });

  it('gives up after its attempts with RegistryUnavailableError, and forgets the failure', async () => {
    let healthy = false;
    const fake = await fakeRegistry((_req, res) => (healthy ? json(res, 200, { id: 2 }) : json(res, 500, { error_code: 50001, message: 'store down' })));
    const client = new SchemaRegistryClient({ urls: [fake.url], clock: instantClock(), logger: silentLogger, retry: { attempts: 2, initialDelayMs: 1, maxDelayMs: 1 } });
    await expect(client.register('s', SCHEMA)).rejects.toThrow(RegistryUnavailableError);
    expect(fake.seen).toHaveLength(2);
    healthy = true;
    expect(await client.register('s', SCHEMA)).toBe(2);
  });

  it('fails over to the next URL when one cannot be reached', async () => {
    const fake = await fakeRegistry((_req, res) => json(res, 200, { id: 3 }));
    const dead = await fakeRegistry(() => undefined);
    const deadServer = servers[servers.length - 1] as Server;
    await new Promise((resolve) => deadServer.close(resolve));
    servers.pop();
    const client = new SchemaRegistryClient({ urls: [dead.url, fake.url], clock: instantClock(), logger: silentLogger });
    expect(await client.register('s', SCHEMA)).toBe(3);
  });

  it('turns error answers into RegistryError with the registry\'s code and message, without retrying', async () => {
    const fake = await fakeRegistry((_req, res) => json(res, 409, { error_code: 409, message: 'incompatible: field "x"' }));
    const client = new SchemaRegistryClient({ urls: [fake.url], clock: instantClock(), logger: silentLogger });
    const err = await client.register('s', SCHEMA).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err).toMatchObject({ status: 409, errorCode: 409, message: expect.stringContaining('incompatible: field "x"') });
    expect(fake.seen).toHaveLength(1);
  });

  it('refuses URLs that are not http(s)', () => {
    expect(() => new SchemaRegistryClient({ urls: ['ftp://host'], clock: instantClock(), logger: silentLogger })).toThrow(/not http/);
  });
});
