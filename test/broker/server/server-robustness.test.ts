import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerServices } from '../../../src/broker/handler/context.ts';
import { buildApiTable } from '../../../src/broker/handler/api-table.ts';
import { RequestRouter } from '../../../src/broker/handler/router.ts';
import * as apiVersionsV0 from '../../../src/broker/protocol/api-versions/api-versions-v0.ts';
import * as apiVersionsV3 from '../../../src/broker/protocol/api-versions/api-versions-v3.ts';
import { ApiKey } from '../../../src/broker/protocol/api.ts';
import { Reader } from '../../../src/broker/protocol/reader.ts';
import { KafkaServer, type KafkaServerOptions } from '../../../src/broker/server.ts';
import { silentLogger } from '../../../src/sdk/logger.ts';
import { WireClient } from './wire-client.ts';

// ApiVersions needs no broker services, so a server over the real router and table is enough here.
const table = buildApiTable({} as BrokerServices);
const router = new RequestRouter(table, silentLogger);
let server: KafkaServer | null = null;
const clients: WireClient[] = [];

async function start(o: { maxFrameBytes?: number; route?: KafkaServerOptions['route'] } = {}): Promise<number> {
  server = await KafkaServer.listen({
    host: '127.0.0.1',
    port: 0,
    maxFrameBytes: o.maxFrameBytes ?? 1024 * 1024,
    maxInFlightPerConnection: 16,
    logger: silentLogger,
    route: o.route ?? ((frame, conn) => router.route(frame, conn)),
  });
  return server.address.port;
}

async function client(port: number): Promise<WireClient> {
  const c = await WireClient.connect(port);
  clients.push(c);
  return c;
}

async function apiVersionsWorks(c: WireClient): Promise<void> {
  const res = await c.send(ApiKey.ApiVersions, 0, apiVersionsV0, { clientSoftwareName: '', clientSoftwareVersion: '' });
  expect(res.errorCode).toBe(0);
  expect(res.apiKeys.length).toBeGreaterThan(10);
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
  server = null;
});

describe('KafkaServer', () => {
  it('answers ApiVersions v3 (flexible request, response header v0)', async () => {
    const c = await client(await start());
    const res = await c.send(ApiKey.ApiVersions, 3, apiVersionsV3, { clientSoftwareName: 'test', clientSoftwareVersion: '1' }, { flexible: true, flexibleResponseHeader: false });
    expect(res.errorCode).toBe(0);
    expect(res.apiKeys.find((k) => k.apiKey === ApiKey.Produce)).toEqual({ apiKey: 0, minVersion: 3, maxVersion: 8 });
  });

  it('answers an ApiVersions version it lacks in v0 form with UNSUPPORTED_VERSION and its ApiVersions range (KIP-511)', async () => {
    const c = await client(await start());
    const frame = await c.sendRaw(ApiKey.ApiVersions, 9, true, (w) => w.compactString('x').compactString('1').emptyTaggedFields());
    const body = apiVersionsV0.response.read(new Reader(frame, 4));
    expect(body.errorCode).toBe(35);
    expect(body.apiKeys).toEqual([{ apiKey: 18, minVersion: 0, maxVersion: 3 }]);
    await apiVersionsWorks(c);
  });

  it.each([
    { what: 'an unknown API key', apiKey: 999, version: 0 },
    { what: 'a version above the advertised range', apiKey: ApiKey.Metadata, version: 99 },
    { what: 'a version below the advertised range', apiKey: ApiKey.Produce, version: 2 },
  ])('closes the connection on $what, as Kafka does, and keeps serving others', async ({ apiKey, version }) => {
    const port = await start();
    const c = await client(port);
    await expect(c.sendRaw(apiKey, version, false, () => {})).rejects.toThrow('connection closed');
    await apiVersionsWorks(await client(port));
  });

  it('closes a connection whose frame exceeds the maximum size, and only that one', async () => {
    const port = await start({ maxFrameBytes: 1000 });
    const good = await client(port);
    const bad = await client(port);
    const big = Buffer.alloc(4);
    big.writeInt32BE(5000, 0);
    bad.writeRaw(big);
    await bad.closed();
    await apiVersionsWorks(good);
  });

  it('closes a connection sending a negative frame size', async () => {
    const c = await client(await start());
    c.writeRaw(Buffer.from([0xff, 0xff, 0xff, 0xf0]));
    await c.closed();
  });

  it('closes a connection whose request body is truncated inside the frame', async () => {
    const port = await start();
    const c = await client(port);
    // A Metadata v1 request frame claiming one topic but ending before its name.
    const w = Buffer.alloc(4 + 2 + 2 + 4 + 2 + 4);
    w.writeInt32BE(w.length - 4, 0);
    w.writeInt16BE(ApiKey.Metadata, 4);
    w.writeInt16BE(1, 6);
    w.writeInt32BE(7, 8);
    w.writeInt16BE(-1, 12);
    w.writeInt32BE(1, 14);
    c.writeRaw(w);
    await c.closed();
    await apiVersionsWorks(await client(port));
  });

  it('survives random and truncated frames from many connections while another client keeps working', async () => {
    const port = await start({ maxFrameBytes: 64 * 1024 });
    const good = await client(port);
    for (let round = 0; round < 40; round++) {
      const fuzz = await client(port);
      const kind = round % 4;
      if (kind === 0) fuzz.writeRaw(randomBytes(1 + (round * 37) % 200));
      else if (kind === 1) {
        // A plausible header for a real API followed by random bytes.
        const body = randomBytes(8 + round);
        const frame = Buffer.alloc(4 + 8 + body.length);
        frame.writeInt32BE(8 + body.length, 0);
        frame.writeInt16BE([0, 1, 3, 11, 19, 22][round % 6] as number, 4);
        frame.writeInt16BE(round % 9, 6);
        frame.writeInt32BE(round, 8);
        body.copy(frame, 12);
        fuzz.writeRaw(frame);
      } else if (kind === 2) {
        // A frame cut short, then the connection closed mid-frame.
        const frame = Buffer.alloc(20);
        frame.writeInt32BE(100, 0);
        fuzz.writeRaw(frame);
        fuzz.socket.end();
      } else {
        fuzz.writeRaw(Buffer.from([0, 0, 0, 2, 0]));
        fuzz.socket.end();
      }
      if (round % 5 === 0) await apiVersionsWorks(good);
    }
    await apiVersionsWorks(good);
    await apiVersionsWorks(await client(port));
  });

  it('returns responses in request order even when handlers finish out of order', async () => {
    const delays = [60, 0, 30];
    let n = 0;
    const port = await start({
      route: (frame) => {
        const correlationId = frame.readInt32BE(4);
        const delay = delays[n++ % delays.length] as number;
        return new Promise((resolve) =>
          setTimeout(() => {
            const out = Buffer.alloc(4);
            out.writeInt32BE(correlationId, 0);
            resolve([out]);
          }, delay),
        );
      },
    });
    const c = await client(port);
    const order: number[] = [];
    c.socket.on('data', (d: Buffer) => {
      for (let i = 0; i + 8 <= d.length; i += 8) order.push(d.readInt32BE(i + 4));
    });
    await Promise.all([1, 2, 3].map(() => c.sendRaw(ApiKey.ApiVersions, 0, false, () => {})));
    expect(order).toEqual([1, 2, 3]);
  });
});
