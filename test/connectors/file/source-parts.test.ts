import { describe, expect, it } from 'vitest';
import { fingerprintOfBytes } from '../../../connectors/file/fingerprint.ts';
import { MultilineAggregator, type LogLine } from '../../../connectors/file/multiline.ts';
import { LineSplitter, type SplitLine } from '../../../connectors/file/tail-line-splitter.ts';

const split = (maxLineBytes: number, chunks: string[], start = 0): Array<Omit<SplitLine, 'bytes'> & { text: string }> => {
  const splitter = new LineSplitter(maxLineBytes, start);
  const out: Array<Omit<SplitLine, 'bytes'> & { text: string }> = [];
  for (const c of chunks) splitter.push(Buffer.from(c), (l) => out.push({ text: l.bytes.toString(), start: l.start, end: l.end, truncated: l.truncated }) > 0);
  return out;
};

describe('fingerprint', () => {
  const opts = { maxBytes: 16, lines: 1 };

  it.each<[string, string, number | undefined]>([
    ['the first line', 'hello\nworld\n', 6],
    ['the first maxBytes when the first line is longer', 'a'.repeat(40), 16],
    ['nothing yet for an unfinished short first line', 'hello', undefined],
    ['nothing yet for an empty file', '', undefined],
  ])('covers %s', (_name, content, length) => {
    expect(fingerprintOfBytes(Buffer.from(content).subarray(0, 16), opts)?.length).toBe(length);
  });

  it('is the same for a file and its longer self, different for another first line', () => {
    const a = fingerprintOfBytes(Buffer.from('hello\n'), opts);
    expect(fingerprintOfBytes(Buffer.from('hello\nmore\n'), opts)).toEqual(a);
    expect(fingerprintOfBytes(Buffer.from('hullo\n'), opts)?.id).not.toBe(a?.id);
  });

  it('covers several lines with lines: 2', () => {
    expect(fingerprintOfBytes(Buffer.from('h\nx\ny\n'), { maxBytes: 16, lines: 2 })?.length).toBe(4);
    expect(fingerprintOfBytes(Buffer.from('h\nx'), { maxBytes: 16, lines: 2 })).toBeUndefined();
  });
});

describe('line splitter', () => {
  it('keeps positions across chunks and CRLF', () => {
    expect(split(100, ['ab', 'c\r\nd', 'e\n\n'], 10)).toEqual([
      { text: 'abc', start: 10, end: 15, truncated: false },
      { text: 'de', start: 15, end: 18, truncated: false },
      { text: '', start: 18, end: 19, truncated: false },
    ]);
  });

  it('stops where the caller says and leaves the rest of the chunk unconsumed', () => {
    const splitter = new LineSplitter(100, 0);
    const seen: string[] = [];
    const consumed = splitter.push(Buffer.from('a\nb\nc\nd'), (l) => seen.push(l.bytes.toString()) < 2);
    expect({ consumed, seen, position: splitter.position }).toEqual({ consumed: 4, seen: ['a', 'b'], position: 4 });
    expect(splitter.push(Buffer.from('c\nd'), () => true)).toBe(3);
    expect(splitter.position).toBe(7);
  });

  it('cuts long lines whether they arrive whole or in pieces', () => {
    expect(split(4, ['abcdefgh\nxy\n'])).toEqual([
      { text: 'abcd', start: 0, end: 9, truncated: true },
      { text: 'xy', start: 9, end: 12, truncated: false },
    ]);
    expect(split(4, ['ab', 'cdef', 'gh', '\n'])).toEqual([{ text: 'abcd', start: 0, end: 9, truncated: true }]);
  });
});

describe('multiline aggregator', () => {
  let n = 0;
  const line = (text: string): LogLine => {
    n++;
    return { text, bytes: Buffer.byteLength(text), start: n * 10, end: n * 10 + 10, truncated: false, lineNo: n };
  };

  it('caps an event at maxBytes and marks it truncated', () => {
    const agg = new MultilineAggregator({ pattern: /^E/, mode: 'start', timeoutMs: 10, maxLines: 100, maxBytes: 8 });
    agg.push(line('E 1'), 0);
    agg.push(line(' tail-that-is-long'), 0);
    agg.push(line(' more'), 0);
    const done = agg.push(line('E 2'), 0);
    expect(done).toMatchObject({ text: 'E 1\n tai', truncated: true, firstLine: n - 3, lastLine: n - 1 });
  });

  it('times out from the last line, on the clock it is given', () => {
    const agg = new MultilineAggregator({ pattern: /^E/, mode: 'start', timeoutMs: 100, maxLines: 100, maxBytes: 100 });
    agg.push(line('E'), 1000);
    agg.push(line(' a'), 1050);
    expect(agg.flushDue(1149)).toBeUndefined();
    expect(agg.flushDue(1150)?.text).toBe('E\n a');
    expect(agg.deadline).toBeUndefined();
  });
});
