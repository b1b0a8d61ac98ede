/**
 * Requests for API keys or versions a broker does not serve, at the wire, answered the same way by
 * the embedded broker and Apache Kafka: ApiVersions gets KIP-511's v0 answer (UNSUPPORTED_VERSION and
 * the ApiVersions range, so the client can retry), anything else closes the connection, because there
 * is no response layout to answer in.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ApiKey } from '../../src/broker/protocol/api.ts';
import * as apiVersionsV0 from '../../src/broker/protocol/api-versions/api-versions-v0.ts';
import { Reader } from '../../src/broker/protocol/reader.ts';
import { WireClient } from '../broker/server/wire-client.ts';
import { embedded, sharedKafka, type BrokerTarget, type TargetSpec } from './support/targets.ts';

const UNSUPPORTED_VERSION = 35;

function unsupportedSuite(spec: TargetSpec): void {
  describe(`unsupported requests on the ${spec.name}`, () => {
    let target: BrokerTarget;
    let host = '';
    let port = 0;

    beforeAll(async () => {
      target = await spec.start();
      const [h, p] = (target.brokers()[0] as string).split(':') as [string, string];
      host = h;
      port = Number(p);
    });

    afterAll(async () => {
      await target?.stop();
    });

    it('answers ApiVersions at a version it lacks in v0 form, with UNSUPPORTED_VERSION and its ApiVersions range', async () => {
      const c = await WireClient.connect(port, host);
      try {
        const frame = await c.sendRaw(ApiKey.ApiVersions, 99, true, (w) => w.compactString('probe').compactString('1').emptyTaggedFields());
        const body = apiVersionsV0.response.read(new Reader(frame, 4));
        expect(body.errorCode).toBe(UNSUPPORTED_VERSION);
        expect(body.apiKeys.map((k) => [k.apiKey, k.minVersion])).toEqual([[ApiKey.ApiVersions, 0]]);
        expect(body.apiKeys[0]?.maxVersion).toBeGreaterThanOrEqual(3);
      } finally {
        c.close();
      }
    });

    it.each([
      { what: 'an unknown API key', apiKey: 999, version: 0 },
      { what: 'Metadata at version 99', apiKey: ApiKey.Metadata, version: 99 },
      { what: 'Produce at version 2 (both brokers start at 3)', apiKey: ApiKey.Produce, version: 2 },
      { what: 'ListOffsets at version 0 (both brokers start at 1)', apiKey: ApiKey.ListOffsets, version: 0 },
    ])('closes the connection on $what', async ({ apiKey, version }) => {
      const c = await WireClient.connect(port, host);
      try {
        await expect(c.sendRaw(apiKey, version, false, (w) => w.int32(-1))).rejects.toThrow('connection closed');
      } finally {
        c.close();
      }
    });
  });
}

unsupportedSuite(embedded);
unsupportedSuite(sharedKafka(inject('kafkaBrokers')));
