import { describe, expect, it } from 'vitest';
import { cellText, type ColumnFormat } from '../../../connectors/postgres/cell-text.ts';
import { copyTextRow } from '../../../connectors/postgres/copy-in.ts';
import { RecordRefused } from '../../../connectors/postgres/row-op.ts';

const col = (baseType: string, category: string, element?: ColumnFormat): ColumnFormat => ({ baseType, category, ...(element ? { element } : {}) });
const text = col('text', 'S');
const int8 = col('bigint', 'N');
const bool = col('boolean', 'B');
const tstz = col('timestamp with time zone', 'D');
const ts = col('timestamp without time zone', 'D');
const date = col('date', 'D');
const time = col('time without time zone', 'D');
const bytea = col('bytea', 'U');
const jsonb = col('jsonb', 'U');
const intArray = col('integer[]', 'A', col('integer', 'N'));
const textArray = col('text[]', 'A', text);

describe('cellText: values as the text PostgreSQL casts to the column type', () => {
  it('passes strings through (Canal values are cast by the server) and keeps null as NULL', () => {
    expect(cellText('42', int8)).toBe('42');
    expect(cellText('2024-01-01 10:00:00', ts)).toBe('2024-01-01 10:00:00');
    expect(cellText(null, text)).toBeNull();
    expect(cellText(undefined, int8)).toBeNull();
  });

  it('writes numbers and bigints with every digit', () => {
    expect(cellText(1.25, text)).toBe('1.25');
    expect(cellText(2n ** 64n, int8)).toBe('18446744073709551616');
  });

  it('reads numbers as epoch milliseconds in date/time columns', () => {
    expect(cellText(1_704_067_200_123, tstz)).toBe('2024-01-01T00:00:00.123Z');
    expect(cellText(1_704_067_200_123, date)).toBe('2024-01-01');
    expect(cellText(45_296_789, time)).toBe('12:34:56.789');
  });

  it('keeps only the part of a Date its column holds', () => {
    const d = new Date(Date.UTC(2024, 1, 29, 13, 14, 15, 16));
    expect(cellText(d, tstz)).toBe('2024-02-29T13:14:15.016Z');
    expect(cellText(d, date)).toBe('2024-02-29');
    expect(cellText(d, time)).toBe('13:14:15.016');
    expect(cellText(d, text)).toBe('2024-02-29T13:14:15.016Z');
  });

  it('writes booleans as 1/0 in numeric columns and numbers as booleans in boolean columns', () => {
    expect(cellText(true, bool)).toBe('true');
    expect(cellText(false, int8)).toBe('0');
    expect(cellText(0, bool)).toBe('false');
    expect(cellText(2, bool)).toBe('true');
  });

  it('writes bytes as hex in bytea and base64 elsewhere', () => {
    expect(cellText(Buffer.from([0, 255, 16]), bytea)).toBe('\\x00ff10');
    expect(cellText(new Uint8Array([1, 2, 3]), text)).toBe('AQID');
  });

  it('writes arrays as array literals in array columns (quoted, escaped, nested) and as JSON elsewhere', () => {
    expect(cellText([1, null, 3], intArray)).toBe('{"1",NULL,"3"}');
    expect(cellText(['a"b', 'c\\d', 'e,f'], textArray)).toBe('{"a\\"b","c\\\\d","e,f"}');
    expect(cellText([[1, 2], [3, 4]], intArray)).toBe('{{"1","2"},{"3","4"}}');
    expect(cellText([1, 'x'], jsonb)).toBe('[1,"x"]');
  });

  it('writes objects, Maps and nested data as JSON with exact bigints and base64 bytes', () => {
    expect(cellText({ a: 1, b: [true, null], c: 2n ** 64n, d: Buffer.from('hi') }, jsonb)).toBe('{"a":1,"b":[true,null],"c":18446744073709551616,"d":"aGk="}');
    expect(cellText(new Map([[1, 'x']]), jsonb)).toBe('{"1":"x"}');
  });
});

describe('cellText refusals', () => {
  it('refuses (as a record problem) what JSON cannot hold instead of changing it', () => {
    expect(() => cellText({ x: Number.NaN }, jsonb)).toThrow(RecordRefused);
    expect(() => cellText({ x: Number.NaN }, jsonb)).toThrow(/NaN cannot be written as JSON/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => cellText(loop, jsonb)).toThrow(RecordRefused);
  });
});

describe('copyTextRow', () => {
  it('separates with tabs, writes NULL as \\N and escapes backslash, tab, newline and carriage return', () => {
    expect(copyTextRow(['a', null, 'tab\there', 'line\nbreak\r', 'back\\slash', ''])).toBe('a\t\\N\ttab\\there\tline\\nbreak\\r\tback\\\\slash\t\n');
  });
});
