import { TributaryError } from '../sdk/errors.ts';
import type { TributaryRecord } from '../sdk/record.ts';
import type { ConfigSchema } from '../sdk/spec.ts';
import type { Transform } from '../sdk/transform.ts';
import { castValue, type CastType } from './cast.ts';
import { describeType, isFieldObject, setField } from './record-part.ts';

/**
 * What every `parse-*` transform shares: where the text comes from, where the parsed fields go, and
 * what happens when the text does not parse.
 *
 * - Text: a string (or bytes, read as UTF-8) value is the text; an object value's `field` holds it.
 * - Output: parsed fields are merged over the object (`into` nests them under one field instead);
 *   a string value becomes an object. `original: keep` (default) keeps the text under `field`;
 *   `drop` removes it. Parsed fields win over same-named existing ones.
 * - Failure: `onError: header` (default) passes the record on unchanged with the reason in the
 *   `errorHeader` header, so nothing is lost and bad lines are easy to find; `fail` throws
 *   TRANSFORM_FAILED, which dead-letters the record (or stops the pipeline) per `errors.tolerance`.
 * - A null value (tombstone) passes through.
 */
export interface ParserOptions {
  field?: string;
  into?: string;
  original?: 'keep' | 'drop';
  onError?: 'header' | 'fail';
  errorHeader?: string;
  setTimestamp?: boolean;
}

export const DEFAULT_ERROR_HEADER = 'tributary.parse.error';

/** A line that does not parse; the message says why, for the error header or TRANSFORM_FAILED. */
export class ParseError extends Error {}

export interface Parsed {
  /** An object of fields; other values (a JSON array, a number) are only accepted with `into`. */
  fields: unknown;
  /** Epoch milliseconds the text itself names (log time), for `setTimestamp`. */
  timestamp?: number;
}

export type Parser = (text: string) => Parsed;

/** The config properties of {@link ParserOptions}, for each parser's spec. */
export function parserConfigProperties(opts: { timestamp: boolean }): Record<string, ConfigSchema> {
  const props: Record<string, ConfigSchema> = {
    field: { type: 'string', minLength: 1, default: 'message', description: 'Field holding the text when the value is an object (a string value is the text itself).' },
    into: { type: 'string', minLength: 1, description: 'Put the parsed fields under this field instead of merging them into the value.' },
    original: { type: 'string', enum: ['keep', 'drop'], default: 'keep', description: '`keep` the text under `field` after a successful parse, or `drop` it.' },
    onError: {
      type: 'string',
      enum: ['header', 'fail'],
      default: 'header',
      description: '`header`: keep the record unchanged and name the problem in `errorHeader`; `fail`: TRANSFORM_FAILED (dead letter or stop, per errors.tolerance).',
    },
    errorHeader: { type: 'string', minLength: 1, default: DEFAULT_ERROR_HEADER, description: 'Header that receives the parse error under `onError: header`.' },
  };
  if (opts.timestamp) props.setTimestamp = { type: 'boolean', default: false, description: 'Set the record timestamp to the time the text names.' };
  return props;
}

/** Field type conversions for parsers that produce text (regex, logfmt). */
export const typesConfigSchema: ConfigSchema = {
  type: 'object',
  additionalProperties: { type: 'string', enum: ['int32', 'int64', 'float64', 'boolean', 'string'] },
  default: {},
  description: 'Convert parsed text fields, e.g. `{ status: int32, bytes: int64 }`. A value that does not convert is a parse error.',
};

export function convertTypes(fields: Record<string, unknown>, types: Readonly<Record<string, CastType>>): void {
  for (const [field, type] of Object.entries(types)) {
    const v = fields[field];
    if (v === undefined || v === null) continue;
    try {
      fields[field] = castValue(v, type);
    } catch (err) {
      throw new ParseError(`field "${field}" ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

export class ParserTransform implements Transform {
  private readonly field: string;
  private readonly errorHeader: string;

  constructor(
    private readonly name: string,
    private readonly parse: Parser,
    private readonly opts: ParserOptions,
  ) {
    this.field = opts.field ?? 'message';
    this.errorHeader = opts.errorHeader ?? DEFAULT_ERROR_HEADER;
  }

  apply<R extends TributaryRecord>(record: R): R {
    const value = record.value;
    if (value === null || value === undefined) return record;
    let parsed: Parsed;
    let base: Record<string, unknown>;
    try {
      let text: string;
      if (typeof value === 'string' || Buffer.isBuffer(value)) {
        text = typeof value === 'string' ? value : value.toString('utf8');
        base = {};
        if (this.opts.original !== 'drop') setField(base, this.field, text);
      } else if (isFieldObject(value)) {
        const raw = value[this.field];
        if (raw === undefined) throw new ParseError(`the value has no field "${this.field}"`);
        if (typeof raw !== 'string' && !Buffer.isBuffer(raw)) throw new ParseError(`field "${this.field}" is ${describeType(raw)}, expected a string`);
        text = typeof raw === 'string' ? raw : raw.toString('utf8');
        base = { ...value };
        if (this.opts.original === 'drop') delete base[this.field];
      } else {
        throw new ParseError(`the value is ${describeType(value)}, expected a string or an object with a "${this.field}" field`);
      }
      parsed = this.parse(text);
      if (this.opts.into === undefined && !isFieldObject(parsed.fields)) {
        throw new ParseError(`the text holds ${describeType(parsed.fields)}, not an object of fields (set \`into\` to keep other values)`);
      }
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      return this.failed(record, err.message);
    }
    const out = base;
    if (this.opts.into !== undefined) setField(out, this.opts.into, parsed.fields);
    else for (const [k, v] of Object.entries(parsed.fields as Record<string, unknown>)) setField(out, k, v);
    const result = { ...record, value: out };
    // The text carried no schema that still describes the parsed object.
    if (record.valueSchema !== undefined) result.valueSchema = undefined;
    if (this.opts.setTimestamp === true && parsed.timestamp !== undefined) result.timestamp = parsed.timestamp;
    return result;
  }

  private failed<R extends TributaryRecord>(record: R, reason: string): R {
    const message = `${this.name}: ${reason}`;
    if (this.opts.onError === 'fail') {
      throw new TributaryError('TRANSFORM_FAILED', `parsing record value: ${message}`, { details: { transform: this.name } });
    }
    return { ...record, headers: [...record.headers, { key: this.errorHeader, value: message }] };
  }
}
