/**
 * A byte-level fingerprint of every version file's request and response layout, so that version files
 * can share layout pieces (or re-export an identical earlier version) without any wire format moving.
 * Captured frames cover only the versions kafkajs and librdkafka happen to use; this covers all.
 *
 * Each layout reads a sample value from a deterministic source (every primitive answers the next
 * number of a counter, arrays have two elements or are null), then writes it back. Field order, field types,
 * nesting, flexible tagged sections and the defaults a version fills in for fields it lacks all show in
 * the result. The golden file was written by the code before any sharing; regenerate it only for an
 * intended wire change: UPDATE_VERSION_LAYOUTS=1 npx vitest run --project unit test/broker/protocol.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildApiTable } from '../../../src/broker/handler/api-table.ts';
import type { BrokerServices } from '../../../src/broker/handler/context.ts';
import { ApiKey } from '../../../src/broker/protocol/api.ts';
import type { Reader } from '../../../src/broker/protocol/reader.ts';
import type { Layout } from '../../../src/broker/protocol/schema.ts';
import { Writer } from '../../../src/broker/protocol/writer.ts';

const PROTOCOL = fileURLToPath(new URL('../../../src/broker/protocol/', import.meta.url));
const GOLDEN = fileURLToPath(new URL('./fixtures/version-layouts.json', import.meta.url));

/** Stands in for a Reader: answers every primitive with the next value of a counter. */
class SampleSource {
  /** @param nullPhase which array of every four is null; two phases make the first array null in one of them. */
  constructor(private readonly nullPhase: number) {}
  private n = 0;
  private next(): number {
    this.n += 1;
    return this.n;
  }
  int8 = (): number => this.next() % 100;
  int16 = (): number => this.next();
  uint16 = (): number => this.next();
  int32 = (): number => this.next() * 1_000;
  uint32 = (): number => this.next() * 1_000;
  int64 = (): bigint => BigInt(this.next()) * 1_000_000_007n;
  float64 = (): number => this.next() + 0.5;
  boolean = (): boolean => this.next() % 2 === 0;
  uuid = (): Buffer => Buffer.alloc(16, this.next());
  unsignedVarint = (): number => this.next();
  varint = (): number => -this.next();
  varlong = (): bigint => -BigInt(this.next());
  string = (): string => `s${this.next()}`;
  compactString = (): string => `c${this.next()}`;
  nullableString = (): string | null => this.maybeNull(`n${this.n}`);
  compactNullableString = (): string | null => this.maybeNull(`cn${this.n}`);
  bytes = (): Buffer => Buffer.from(`b${this.next()}`);
  compactBytes = (): Buffer => Buffer.from(`cb${this.next()}`);
  nullableBytes = (): Buffer | null => this.maybeNull(Buffer.from(`nb${this.n}`));
  compactNullableBytes = (): Buffer | null => this.maybeNull(Buffer.from(`cnb${this.n}`));
  arrayLength = (): number => this.length();
  compactArrayLength = (): number => this.length();
  skipTaggedFields = (): void => {};
  private arrays = 0;
  /** Two elements, except every fourth array is null: `array` reads that as empty, `nullableArray` as null. */
  private length(): number {
    this.arrays += 1;
    return this.arrays % 4 === this.nullPhase ? -1 : 2;
  }
  /** Every third nullable value is null, so both branches of nullable fields are fingerprinted. */
  private maybeNull<T>(v: T): T | null {
    return this.next() % 3 === 0 ? null : v;
  }
}

function sample(layout: Layout<unknown, never>, nullPhase: number): unknown {
  return layout.read(new SampleSource(nullPhase) as unknown as Reader);
}

function written(layout: Layout<unknown, never>, value: unknown): string {
  const w = new Writer();
  (layout.write as (w: Writer, v: unknown) => void)(w, value);
  return w.toBuffer().toString('hex');
}

/** JSON with bigints and buffers spelled out, keys in insertion order (which is wire order). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'object' && v !== null && (v as { type?: unknown }).type === 'Buffer') return `0x${Buffer.from((v as { data: number[] }).data).toString('hex')}`;
    return v;
  });
}

interface Fingerprint {
  apiKey: number;
  version: number;
  flexible: boolean;
  /** One entry per null phase. */
  request: string[];
  decodedRequest: string[];
  response: string[];
}

interface VersionFile {
  request: Layout<unknown, never>;
  response: Layout<unknown, never>;
}

const table = buildApiTable({} as BrokerServices);
/** `produce` → 0, `add-offsets-to-txn` → 25: folders are the kebab-case API names. */
const apiKeyOfFolder = new Map<string, number>(Object.entries(ApiKey).map(([name, key]) => [name.replace(/[A-Z]/g, (c, i: number) => (i > 0 ? '-' : '') + c.toLowerCase()), key]));
const files = readdirSync(PROTOCOL, { recursive: true, encoding: 'utf8' })
  .filter((f) => /-v\d+\.ts$/.test(f))
  .sort();

const NULL_PHASES = [0, 1];

async function fingerprint(file: string): Promise<Fingerprint> {
  const [folder, base] = file.replace(/\.ts$/, '').split(/[\\/]/) as [string, string];
  const mod = (await import(`../../../src/broker/protocol/${folder}/${base}.ts`)) as VersionFile;
  const version = Number(/-v(\d+)$/.exec(base)?.[1]);
  const apiKey = apiKeyOfFolder.get(folder);
  const codec = apiKey === undefined ? undefined : table.get(apiKey)?.codec(version);
  if (!codec) throw new Error(`${file}: no codec in the API table`);
  const fp: Fingerprint = { apiKey: codec.apiKey, version: codec.version, flexible: codec.flexible, request: [], decodedRequest: [], response: [] };
  for (const phase of NULL_PHASES) {
    const decodedRequest = sample(mod.request, phase);
    // The table's codec must be the file's layouts, not a copy that could drift from them.
    expect(canonical(codec.decodeRequest(new SampleSource(phase) as unknown as Reader))).toBe(canonical(decodedRequest));
    const response = sample(mod.response, phase);
    const w = new Writer();
    codec.encodeResponse(w, response);
    expect(w.toBuffer().toString('hex')).toBe(written(mod.response, response));
    fp.request.push(written(mod.request, decodedRequest));
    fp.decodedRequest.push(canonical(decodedRequest));
    fp.response.push(written(mod.response, response));
  }
  return fp;
}

describe('version layouts', () => {
  it('write exactly the bytes they wrote before version files shared layouts', async () => {
    const actual: Record<string, Fingerprint> = {};
    for (const file of files) actual[file.replace(/\\/g, '/')] = await fingerprint(file);
    if (process.env.UPDATE_VERSION_LAYOUTS === '1') writeFileSync(GOLDEN, `${JSON.stringify(actual, null, 1)}\n`);
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Fingerprint>;
    expect(Object.keys(actual)).toEqual(Object.keys(golden));
    for (const [file, fp] of Object.entries(golden)) expect(actual[file], file).toEqual(fp);
  });
});
