/**
 * Fuzz frames for the broker: raw noise, plausible headers over noise, frames cut short, and — the
 * kind that reaches the handlers — requests that are well formed for a real API version but carry
 * random values (a layout reads them from a random source, then writes them as a frame).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeRequestHeader } from '../../../src/broker/protocol/header.ts';
import type { Reader } from '../../../src/broker/protocol/reader.ts';
import type { Layout } from '../../../src/broker/protocol/schema.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';
import { ApiKey } from '../../../src/broker/protocol/api.ts';

/** Stands in for a Reader: every primitive is random, arrays are short, strings mostly short. */
class RandomSource {
  private pick<T>(options: readonly T[]): T {
    return options[randomInt(options.length)] as T;
  }
  private edgeInt(bits: 8 | 16 | 32): number {
    const max = 2 ** (bits - 1) - 1;
    return this.pick([0, 1, -1, max, -max - 1, randomInt(-max - 1, max + 1), randomInt(0, 100)]);
  }
  int8 = (): number => this.edgeInt(8);
  int16 = (): number => this.edgeInt(16);
  uint16 = (): number => randomInt(0, 65536);
  int32 = (): number => this.edgeInt(32);
  uint32 = (): number => randomInt(0, 2 ** 32 - 1);
  int64 = (): bigint => this.pick([0n, -1n, -2n, 1n, 2n ** 63n - 1n, BigInt(randomInt(0, 1_000_000))]);
  float64 = (): number => Math.random() * 1e6;
  boolean = (): boolean => randomInt(2) === 1;
  uuid = (): Buffer => randomBytes(16);
  unsignedVarint = (): number => randomInt(0, 1000);
  varint = (): number => randomInt(-1000, 1000);
  varlong = (): bigint => BigInt(randomInt(-1000, 1000));
  string = (): string => this.text();
  compactString = (): string => this.text();
  nullableString = (): string | null => (randomInt(5) === 0 ? null : this.text());
  compactNullableString = (): string | null => (randomInt(5) === 0 ? null : this.text());
  bytes = (): Buffer => randomBytes(randomInt(0, 64));
  compactBytes = (): Buffer => randomBytes(randomInt(0, 64));
  nullableBytes = (): Buffer | null => (randomInt(5) === 0 ? null : randomBytes(randomInt(0, 200)));
  compactNullableBytes = (): Buffer | null => (randomInt(5) === 0 ? null : randomBytes(randomInt(0, 200)));
  arrayLength = (): number => this.pick([-1, 0, 1, 2, 3]);
  compactArrayLength = (): number => this.pick([-1, 0, 1, 2, 3]);
  skipTaggedFields = (): void => {};
  private text(): string {
    return this.pick(['', 'fuzz', `fuzz-${randomInt(1000)}`, '__consumer_offsets', 'x'.repeat(randomInt(0, 300)), randomBytes(8).toString('latin1')]);
  }
}

interface VersionFile {
  request: Layout<unknown, never>;
}

export interface RequestFile {
  apiKey: number;
  version: number;
  flexible: boolean;
  file: VersionFile;
}

const PROTOCOL = fileURLToPath(new URL('../../../src/broker/protocol/', import.meta.url));
const apiKeyOfFolder = new Map<string, number>(Object.entries(ApiKey).map(([name, key]) => [name.replace(/[A-Z]/g, (c, i: number) => (i > 0 ? '-' : '') + c.toLowerCase()), key]));

/** Every version file of the broker with its request layout. */
export async function requestFiles(flexibleFrom: (apiKey: number, version: number) => boolean): Promise<RequestFile[]> {
  const files = readdirSync(PROTOCOL, { recursive: true, encoding: 'utf8' }).filter((f) => /-v\d+\.ts$/.test(f));
  const out: RequestFile[] = [];
  for (const f of files) {
    const [folder, base] = f.replace(/\.ts$/, '').split(/[\\/]/) as [string, string];
    const apiKey = apiKeyOfFolder.get(folder);
    if (apiKey === undefined) continue;
    const version = Number(/-v(\d+)$/.exec(base)?.[1]);
    const file = (await import(`../../../src/broker/protocol/${folder}/${base}.ts`)) as VersionFile;
    out.push({ apiKey, version, flexible: flexibleFrom(apiKey, version), file });
  }
  return out;
}

function framed(body: (w: Writer) => void): Buffer {
  const w = new Writer();
  body(w);
  const payload = w.toBuffer();
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(payload.length, 0);
  return Buffer.concat([prefix, payload]);
}

/** A well-formed request of a real API version with random field values. */
export function randomRequest(r: RequestFile, correlationId: number): Buffer {
  const value = r.file.request.read(new RandomSource() as unknown as Reader);
  return framed((w) => {
    writeRequestHeader(w, { apiKey: r.apiKey, apiVersion: r.version, correlationId, clientId: 'fuzz' }, r.flexible);
    (r.file.request.write as (w: Writer, v: unknown) => void)(w, value);
  });
}

export type FuzzKind = 'noise' | 'header-over-noise' | 'truncated' | 'oversized' | 'random-request' | 'unknown-api';

/** One fuzz frame of the given kind; `close` says the sender should end the connection after it. */
export function fuzzFrame(kind: FuzzKind, requests: RequestFile[], correlationId: number): { bytes: Buffer; close: boolean } {
  switch (kind) {
    case 'noise':
      return { bytes: randomBytes(randomInt(1, 300)), close: false };
    case 'header-over-noise': {
      const r = requests[randomInt(requests.length)] as RequestFile;
      const body = randomBytes(randomInt(0, 200));
      return { bytes: framed((w) => w.int16(r.apiKey).int16(randomInt(0, 12)).int32(correlationId).raw(body)), close: false };
    }
    case 'truncated': {
      const whole = randomRequest(requests[randomInt(requests.length)] as RequestFile, correlationId);
      return { bytes: whole.subarray(0, randomInt(1, whole.length)), close: true };
    }
    case 'oversized': {
      const prefix = Buffer.alloc(4);
      prefix.writeInt32BE(randomInt(2 ** 28, 2 ** 31 - 1), 0);
      return { bytes: prefix, close: false };
    }
    case 'random-request':
      return { bytes: randomRequest(requests[randomInt(requests.length)] as RequestFile, correlationId), close: false };
    case 'unknown-api':
      return { bytes: framed((w) => w.int16(randomInt(100, 30000)).int16(randomInt(0, 20)).int32(correlationId).nullableString('fuzz')), close: false };
  }
}
