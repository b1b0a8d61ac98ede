/**
 * Combinators that describe a message's wire layout once and derive both directions from it.
 * A version file writes `struct({ acks: int16, timeoutMs: int32, ... })` in the field order of Kafka's
 * BNF; the same value decodes requests (broker side) and encodes them (tests, tools), and likewise for
 * responses. Object key order is wire order: JavaScript keeps string keys in insertion order.
 */
import type { Reader } from './reader.ts';
import type { Writer } from './writer.ts';

/**
 * A wire layout. `R` is what reading produces and `W` what writing needs; they differ only for structs
 * with defaults, whose decoded value also carries the fields the version lacks.
 */
export interface Layout<R, W = R> {
  readonly read: (r: Reader) => R;
  readonly write: (w: Writer, v: W) => void;
}

export type Type<T> = Layout<T, T>;

export type Infer<S> = S extends Layout<infer R, never> ? R : never;
export type InferWrite<S> = S extends Layout<unknown, infer W> ? W : never;

/** Any layout: `never` accepts every writer, so layouts of different value types fit one record. */
interface AnyType {
  readonly read: (r: Reader) => unknown;
  readonly write: (w: Writer, v: never) => void;
}
/** A struct's fields in wire order; version files share these records to build later versions' structs. */
export type Fields = Record<string, AnyType>;
type StructOf<F extends Fields> = { [K in keyof F]: Infer<F[K]> };
type WireOf<F extends Fields> = { [K in keyof F]: InferWrite<F[K]> };

function primitive<T>(read: (r: Reader) => T, write: (w: Writer, v: T) => void): Type<T> {
  return { read, write };
}

export const int8 = primitive((r) => r.int8(), (w, v: number) => w.int8(v));
export const int16 = primitive((r) => r.int16(), (w, v: number) => w.int16(v));
export const uint16 = primitive((r) => r.uint16(), (w, v: number) => w.uint16(v));
export const int32 = primitive((r) => r.int32(), (w, v: number) => w.int32(v));
export const uint32 = primitive((r) => r.uint32(), (w, v: number) => w.uint32(v));
export const int64 = primitive((r) => r.int64(), (w, v: bigint) => w.int64(v));
export const float64 = primitive((r) => r.float64(), (w, v: number) => w.float64(v));
export const boolean = primitive((r) => r.boolean(), (w, v: boolean) => w.boolean(v));
export const uuid = primitive((r) => r.uuid(), (w, v: Buffer) => w.uuid(v));
export const string = primitive((r) => r.string(), (w, v: string) => w.string(v));
export const nullableString = primitive((r) => r.nullableString(), (w, v: string | null) => w.nullableString(v));
export const compactString = primitive((r) => r.compactString(), (w, v: string) => w.compactString(v));
export const compactNullableString = primitive((r) => r.compactNullableString(), (w, v: string | null) => w.compactNullableString(v));
export const bytes = primitive((r) => r.bytes(), (w, v: Buffer) => w.bytes(v));
export const nullableBytes = primitive((r) => r.nullableBytes(), (w, v: Buffer | null) => w.nullableBytes(v));
export const compactBytes = primitive((r) => r.compactBytes(), (w, v: Buffer) => w.compactBytes(v));
export const compactNullableBytes = primitive((r) => r.compactNullableBytes(), (w, v: Buffer | null) => w.compactNullableBytes(v));
/** RECORDS: record batches as nullable bytes, kept byte for byte. */
export const records = nullableBytes;
export const compactRecords = compactNullableBytes;

/** ARRAY: int32 count then elements; a null array (-1) decodes as empty. */
export function array<R, W = R>(item: Layout<R, W>): Layout<R[], W[]> {
  return {
    read: (r) => {
      const n = r.arrayLength();
      const out: R[] = [];
      for (let i = 0; i < n; i++) out.push(item.read(r));
      return out;
    },
    write: (w, v) => {
      w.int32(v.length);
      for (const x of v) item.write(w, x);
    },
  };
}

export function nullableArray<R, W = R>(item: Layout<R, W>): Layout<R[] | null, W[] | null> {
  return {
    read: (r) => {
      const n = r.arrayLength();
      if (n < 0) return null;
      const out: R[] = [];
      for (let i = 0; i < n; i++) out.push(item.read(r));
      return out;
    },
    write: (w, v) => {
      if (v === null) {
        w.int32(-1);
        return;
      }
      w.int32(v.length);
      for (const x of v) item.write(w, x);
    },
  };
}

/** COMPACT_ARRAY: unsigned varint count + 1; a null array (0) decodes as empty. */
export function compactArray<R, W = R>(item: Layout<R, W>): Layout<R[], W[]> {
  return {
    read: (r) => {
      const n = r.compactArrayLength();
      const out: R[] = [];
      for (let i = 0; i < n; i++) out.push(item.read(r));
      return out;
    },
    write: (w, v) => {
      w.unsignedVarint(v.length + 1);
      for (const x of v) item.write(w, x);
    },
  };
}

export function compactNullableArray<R, W = R>(item: Layout<R, W>): Layout<R[] | null, W[] | null> {
  return {
    read: (r) => {
      const n = r.compactArrayLength();
      if (n < 0) return null;
      const out: R[] = [];
      for (let i = 0; i < n; i++) out.push(item.read(r));
      return out;
    },
    write: (w, v) => {
      if (v === null) {
        w.unsignedVarint(0);
        return;
      }
      w.unsignedVarint(v.length + 1);
      for (const x of v) item.write(w, x);
    },
  };
}

function makeStruct<F extends Fields, D extends object>(fields: F, defaults: D, flexible: boolean): Layout<StructOf<F> & D, WireOf<F>> {
  const entries = Object.entries(fields);
  const defaultEntries = Object.entries(defaults);
  return {
    read: (r) => {
      // Fields this version lacks take Kafka's documented defaults, so handlers see one complete shape.
      const out: Record<string, unknown> = {};
      for (const [name, value] of defaultEntries) out[name] = Array.isArray(value) ? [...(value as unknown[])] : value;
      for (const [name, type] of entries) out[name] = type.read(r);
      if (flexible) r.skipTaggedFields();
      return out as StructOf<F> & D;
    },
    write: (w, v) => {
      const values = v as Record<string, unknown>;
      for (const [name, type] of entries) (type.write as (w: Writer, v: unknown) => void)(w, values[name]);
      if (flexible) w.emptyTaggedFields();
    },
  };
}

/** A non-flexible struct. `defaults` fill the fields that exist only in other versions. */
export function struct<F extends Fields, D extends object = Record<never, never>>(fields: F, defaults?: D): Layout<StructOf<F> & D, WireOf<F>> {
  return makeStruct(fields, defaults ?? ({} as D), false);
}

/** A flexible-version struct: its fields followed by a tagged-field section. */
export function flexStruct<F extends Fields, D extends object = Record<never, never>>(fields: F, defaults?: D): Layout<StructOf<F> & D, WireOf<F>> {
  return makeStruct(fields, defaults ?? ({} as D), true);
}
