import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/sdk/clock.ts';
import type { TributaryRecord } from '../../src/sdk/record.ts';
import { silentLogger } from '../../src/sdk/logger.ts';
import { parseJson } from '../../src/transforms/parse-json.ts';
import { parseLogfmt } from '../../src/transforms/parse-logfmt.ts';
import { parseNginx } from '../../src/transforms/parse-nginx.ts';
import { parseRegex } from '../../src/transforms/parse-regex.ts';
import { parseSyslog, type ParseSyslogConfig } from '../../src/transforms/parse-syslog.ts';
import { configAccepted, expectFailure, pluginContext } from './plugin-context.ts';
import { applied, record, transformOf } from './records.ts';

const ERROR = 'tributary.parse.error';
const errorOf = (r: TributaryRecord): string | undefined => r.headers.find((h) => h.key === ERROR)?.value as string | undefined;

describe('parser options (shared by every parse-* transform)', () => {
  it.each<[string, Record<string, unknown>, unknown, unknown]>([
    ['a string value becomes an object, keeping the text', {}, '{"a":1}', { message: '{"a":1}', a: 1 }],
    ['original: drop', { original: 'drop' }, '{"a":1}', { a: 1 }],
    ['into nests the result', { into: 'parsed' }, '{"a":1}', { message: '{"a":1}', parsed: { a: 1 } }],
    ['into accepts non-objects', { into: 'parsed', original: 'drop' }, '[1,2]', { parsed: [1, 2] }],
    ['an object value is parsed from `field`', { field: 'line' }, { line: '{"a":1}', path: '/x' }, { line: '{"a":1}', path: '/x', a: 1 }],
    ['original: drop removes the field', { field: 'line', original: 'drop' }, { line: '{"a":1}', path: '/x' }, { path: '/x', a: 1 }],
    ['parsed fields win over existing ones', {}, { message: '{"path":"new"}', path: 'old' }, { message: '{"path":"new"}', path: 'new' }],
    ['bytes are read as UTF-8', { original: 'drop' }, Buffer.from('{"é":1}'), { é: 1 }],
  ])('%s', (_name, config, value, out) => {
    const r = applied(parseJson, config, record(value));
    expect(r.value).toStrictEqual(out);
    expect(errorOf(r)).toBeUndefined();
  });

  it.each<[string, unknown, RegExp]>([
    ['text that does not parse', 'not json', /parse-json: not valid JSON/],
    ['a JSON array without into', '[1]', /holds an array, not an object of fields \(set `into`/],
    ['an object without the field', { line: 'x' }, /the value has no field "message"/],
    ['a field of the wrong type', { message: 42 }, /field "message" is a number, expected a string/],
    ['a number value', 42, /the value is a number, expected a string or an object/],
    ['an integer JSON.parse would round', '{"id": 9007199254740993}', /beyond 2\^53/],
  ])('keeps the record and names the error in a header on %s', (_name, value, message) => {
    const input = record(value, { headers: [{ key: 'h', value: '1' }] });
    const out = applied(parseJson, {}, input);
    expect(out.value).toBe(input.value);
    expect(out.headers[0]).toEqual({ key: 'h', value: '1' });
    expect(errorOf(out)).toMatch(message);
  });

  it('fails the record with onError: fail, so it is dead-lettered', () => {
    expectFailure(() => transformOf(parseJson, { onError: 'fail' }).apply(record('{')), 'TRANSFORM_FAILED', /parsing record value: parse-json: not valid JSON/);
  });

  it('uses a custom error header', () => {
    expect(applied(parseJson, { errorHeader: 'bad' }, record('x')).headers.map((h) => h.key)).toEqual(['bad']);
  });

  it('passes tombstones through', () => {
    const input = record(null);
    expect(applied(parseJson, {}, input)).toBe(input);
  });

  it('drops a value schema that no longer describes the value', () => {
    expect(applied(parseJson, {}, record('{"a":1}', { valueSchema: { type: 'string' } })).valueSchema).toBeUndefined();
  });
});

describe('parse-regex', () => {
  const pattern = '^(?<level>[A-Z]+) \\[(?<thread>[^\\]]+)\\] (?<msg>.*?)(?: took=(?<ms>\\d+))?$';

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['named groups become fields', {}, { level: 'INFO', thread: 'main', msg: 'started', ms: '12' }],
    ['types convert them', { types: { ms: 'int32' } }, { level: 'INFO', thread: 'main', msg: 'started', ms: 12 }],
  ])('%s', (_name, config, out) => {
    expect(applied(parseRegex, { pattern, original: 'drop', ...config }, record('INFO [main] started took=12')).value).toStrictEqual(out);
  });

  it('leaves out groups that did not take part', () => {
    expect(applied(parseRegex, { pattern, original: 'drop' }, record('WARN [io] slow')).value).toStrictEqual({ level: 'WARN', thread: 'io', msg: 'slow' });
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a line that does not match', {}, 'garbage', /does not match/],
    ['a group that does not convert', { types: { level: 'int32' } }, 'INFO [main] x', /field "level" is "INFO", which is not an integer/],
  ])('names the error on %s', (_name, config, line, message) => {
    expect(errorOf(applied(parseRegex, { pattern, ...config }, record(line)))).toMatch(message);
  });

  it.each(['(?<a>x', '^plain$'])('rejects pattern %s at construction', (p) => {
    expectFailure(() => transformOf(parseRegex, { pattern: p }), 'CONFIG_INVALID', /pattern/);
  });
});

describe('parse-logfmt', () => {
  it.each<[string, Record<string, unknown>]>([
    ['level=info msg="user signed in" took=12ms', { level: 'info', msg: 'user signed in', took: '12ms' }],
    ['a=1 flag b= c="x \\"q\\" \\\\ \\n \\u00e9"', { a: '1', flag: true, b: '', c: 'x "q" \\ \n é' }],
    ['  spaced=yes   a=b  ', { spaced: 'yes', a: 'b' }],
    ['dup=1 dup=2', { dup: '2' }],
    ['path=/a/b?c=d', { path: '/a/b?c=d' }],
  ])('%s', (line, out) => {
    expect(applied(parseLogfmt, { original: 'drop' }, record(line)).value).toStrictEqual(out);
  });

  it('converts with types', () => {
    expect(applied(parseLogfmt, { original: 'drop', types: { n: 'int64', ok: 'boolean' } }, record('n=5 ok=true')).value).toStrictEqual({ n: 5, ok: true });
  });

  it.each<[string, RegExp]>([
    ['a="unterminated', /not closed/],
    ['=x', /expected a key/],
    ['a=b"c', /unexpected '"' in the value of "a"/],
    ['a="x"y', /expected a space after the quoted value/],
    ['   ', /no key=value pairs/],
    ['a="\\q"', /invalid escape/],
  ])('names the error for %s', (line, message) => {
    expect(errorOf(applied(parseLogfmt, {}, record(line)))).toMatch(message);
  });
});

describe('parse-syslog', () => {
  const now = Date.UTC(2024, 0, 5, 12, 0, 0);
  const clock: Clock = { now: () => now, sleep: () => Promise.resolve() };
  const parse = (line: string, config: Record<string, unknown> = {}) => {
    const ctx = { ...pluginContext<ParseSyslogConfig>(parseSyslog.spec, { original: 'drop', ...config }), clock, logger: silentLogger };
    return parseSyslog.create(ctx).apply(record(line)) as TributaryRecord;
  };

  it('reads RFC 5424 with structured data', () => {
    const line = '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][meta x="a\\"b\\]c"] \uFEFFAn application event';
    const out = parse(line, { setTimestamp: true });
    expect(out.value).toStrictEqual({
      priority: 165,
      facility: 'local4',
      severity: 'notice',
      version: 1,
      timestamp: '2003-10-11T22:14:15.003Z',
      hostname: 'mymachine.example.com',
      appname: 'evntslog',
      msgid: 'ID47',
      structuredData: { 'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' }, meta: { x: 'a"b]c' } },
      message: 'An application event',
    });
    expect(out.timestamp).toBe(Date.UTC(2003, 9, 11, 22, 14, 15, 3));
  });

  it('reads RFC 5424 with nil values and no message', () => {
    expect(parse('<34>1 - - - - - -').value).toStrictEqual({ priority: 34, facility: 'auth', severity: 'crit', version: 1 });
  });

  it('reads RFC 3164, taking the year from the clock', () => {
    expect(parse('<34>Jan  4 22:14:15 mymachine su[230]: \'su root\' failed for lonvick on /dev/pts/8').value).toStrictEqual({
      priority: 34,
      facility: 'auth',
      severity: 'crit',
      timestamp: '2024-01-04T22:14:15.000Z',
      hostname: 'mymachine',
      appname: 'su',
      procid: '230',
      message: "'su root' failed for lonvick on /dev/pts/8",
    });
  });

  it('puts a December line read in January in the previous year', () => {
    expect((parse('Dec 31 23:59:59 host cron: job').value as { timestamp: string }).timestamp).toBe('2023-12-31T23:59:59.000Z');
  });

  it('reads /var/log/syslog lines without a priority', () => {
    expect(parse('Jan  5 11:00:00 web-1 sshd[99]: Accepted publickey').value).toStrictEqual({
      timestamp: '2024-01-05T11:00:00.000Z',
      hostname: 'web-1',
      appname: 'sshd',
      procid: '99',
      message: 'Accepted publickey',
    });
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['not syslog at all', {}, /neither RFC 5424 nor RFC 3164/],
    ['<999>1 - - - - - -', {}, /priority 999 is out of range/],
    ['<13>1 2024-13-45T99:00:00Z h a p m -', {}, /not a real time|not RFC 3339/],
    ['<13>1 - h a p m [broken', {}, /not closed|malformed/],
    ['<13>Jan 10 10:00:00 h a: x', { format: 'rfc5424' }, /not an RFC 5424 message/],
    ['Feb 30 10:00:00 h a: x', {}, /does not exist/],
  ])('names the error for %s', (line, config, message) => {
    expect(errorOf(parse(line, config))).toMatch(message);
  });
});

describe('parse-nginx', () => {
  const combined = '203.0.113.9 - alice [10/Oct/2023:13:55:36 -0700] "GET /a?b=1 HTTP/1.1" 200 2326 "https://example.com/" "curl/8.0 \\"x\\""';

  it('reads the combined format', () => {
    const out = applied(parseNginx, { original: 'drop', setTimestamp: true }, record(combined));
    expect(out.value).toStrictEqual({
      remote_addr: '203.0.113.9',
      remote_user: 'alice',
      time: '2023-10-10T20:55:36.000Z',
      request: 'GET /a?b=1 HTTP/1.1',
      method: 'GET',
      path: '/a?b=1',
      protocol: 'HTTP/1.1',
      status: 200,
      body_bytes_sent: 2326,
      http_referer: 'https://example.com/',
      http_user_agent: 'curl/8.0 "x"',
    });
    expect(out.timestamp).toBe(Date.UTC(2023, 9, 10, 20, 55, 36));
  });

  it('reads the common format, dashes as null, and a malformed request line', () => {
    expect(applied(parseNginx, { original: 'drop' }, record('::1 - - [01/Jan/2024:00:00:00 +0000] "\\x16\\x03" 400 - "-" "-" "10.0.0.1"')).value).toStrictEqual({
      remote_addr: '::1',
      remote_user: null,
      time: '2024-01-01T00:00:00.000Z',
      request: '\x16\x03',
      status: 400,
      body_bytes_sent: 0,
      http_referer: null,
      http_user_agent: null,
      extra: '"10.0.0.1"',
    });
    expect(applied(parseNginx, { original: 'drop' }, record('1.2.3.4 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.0" 304 0')).value).toMatchObject({ status: 304, path: '/' });
  });

  it.each<[string, RegExp]>([
    ['GET / 200', /not in the common or combined log format/],
    ['1.2.3.4 - - [01/Foo/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1', /unknown month/],
    ['1.2.3.4 - - [31/Feb/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 1', /not a real date/],
  ])('names the error for %s', (line, message) => {
    expect(errorOf(applied(parseNginx, {}, record(line)))).toMatch(message);
  });

  it.each([{ onError: 'drop' }, { original: 'maybe' }, { setTimestamp: 'yes' }])('rejects config %j', (config) => {
    expect(configAccepted(parseNginx.spec, config)).toBe(false);
  });
});
