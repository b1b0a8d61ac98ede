import { ParseError } from '../parser-transform.ts';

/**
 * Syslog messages in both wire formats:
 *
 * - RFC 5424: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID k="v"...] MSG`, `-` for nil.
 * - RFC 3164 (BSD): `<PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG`. The `<PRI>` is optional so lines
 *   of /var/log/syslog parse too. The format has no year or zone: the time is read as UTC in the
 *   year that puts it closest before `now` (a December line read in January is last year's).
 *
 * Output: facility and severity as names (`daemon`, `err`) and `priority` as the number, timestamp
 * (ISO-8601 as written for 5424, UTC ISO-8601 for 3164), hostname, appname, procid, msgid,
 * structuredData (`{ "id": { "param": "value" } }`) and message. Nil or absent parts are left out.
 */
export type SyslogFormat = 'auto' | 'rfc5424' | 'rfc3164';

export interface SyslogMessage {
  fields: Record<string, unknown>;
  timestamp?: number;
}

const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'];
const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const PRI = /^<(\d{1,3})>/;
const RFC5424_HEAD = /^<(\d{1,3})>(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /;
const RFC5424_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;
const RFC3164 = /^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\S+) ?([\s\S]*)$/;
const TAG = /^([^\s:[\]]{1,48})(?:\[([^\]]*)\])?: ?([\s\S]*)$/;

export function parseSyslog(text: string, now: number, format: SyslogFormat): SyslogMessage {
  if (format === 'rfc5424') return parse5424(text);
  if (format === 'rfc3164') return parse3164(text, now);
  return RFC5424_HEAD.test(text) ? parse5424(text) : parse3164(text, now);
}

function priorityFields(pri: string | undefined): Record<string, unknown> {
  if (pri === undefined) return {};
  const n = Number(pri);
  if (n > 191) throw new ParseError(`priority ${n} is out of range (0-191)`);
  return { priority: n, facility: FACILITIES[n >> 3], severity: SEVERITIES[n & 7] };
}

function parse5424(text: string): SyslogMessage {
  const head = RFC5424_HEAD.exec(text);
  if (head === null) throw new ParseError('not an RFC 5424 message (<PRI>VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG)');
  const [whole, pri, version, time, host, app, proc, msgid] = head as unknown as string[];
  const fields: Record<string, unknown> = { ...priorityFields(pri), version: Number(version) };
  let timestamp: number | undefined;
  if (time !== '-') {
    if (!RFC5424_TIME.test(time as string)) throw new ParseError(`timestamp ${JSON.stringify(time)} is not RFC 3339`);
    timestamp = Date.parse(time as string);
    if (Number.isNaN(timestamp)) throw new ParseError(`timestamp ${JSON.stringify(time)} is not a real time`);
    fields.timestamp = time;
  }
  const nil = (name: string, v: string | undefined): void => {
    if (v !== undefined && v !== '-') fields[name] = v;
  };
  nil('hostname', host);
  nil('appname', app);
  nil('procid', proc);
  nil('msgid', msgid);
  let rest = text.slice((whole as string).length);
  if (rest.startsWith('-')) rest = rest.slice(1);
  else if (rest.startsWith('[')) {
    const { data, end } = structuredData(rest);
    fields.structuredData = data;
    rest = rest.slice(end);
  } else throw new ParseError('structured data must be "-" or start with "["');
  if (rest.startsWith(' ')) rest = rest.slice(1);
  else if (rest !== '') throw new ParseError('expected a space after the structured data');
  if (rest.startsWith('\uFEFF')) rest = rest.slice(1);
  if (rest !== '') fields.message = rest;
  return timestamp === undefined ? { fields } : { fields, timestamp };
}

/** `[id k="v" k2="v2"][id2 ...]`: returns the elements and the index after the last `]`. */
function structuredData(s: string): { data: Record<string, Record<string, string>>; end: number } {
  const data: Record<string, Record<string, string>> = {};
  let i = 0;
  while (s[i] === '[') {
    i++;
    const idMatch = /^[^\s=\]"]+/.exec(s.slice(i));
    if (idMatch === null) throw new ParseError(`structured data element at column ${i + 1} has no SD-ID`);
    const id = idMatch[0];
    i += id.length;
    const params: Record<string, string> = {};
    while (s[i] === ' ') {
      i++;
      const nameMatch = /^[^\s=\]"]+/.exec(s.slice(i));
      if (nameMatch === null || s[i + nameMatch[0].length] !== '=' || s[i + nameMatch[0].length + 1] !== '"') {
        throw new ParseError(`structured data element "${id}" has a malformed parameter at column ${i + 1} (want name="value")`);
      }
      const name = nameMatch[0];
      i += name.length + 2;
      let value = '';
      for (;;) {
        const c = s[i];
        if (c === undefined) throw new ParseError(`structured data parameter "${name}" is not closed`);
        if (c === '\\' && (s[i + 1] === '"' || s[i + 1] === '\\' || s[i + 1] === ']')) {
          value += s[i + 1];
          i += 2;
          continue;
        }
        i++;
        if (c === '"') break;
        value += c;
      }
      params[name] = value;
    }
    if (s[i] !== ']') throw new ParseError(`structured data element "${id}" is not closed with "]"`);
    i++;
    data[id] = params;
  }
  return { data, end: i };
}

function parse3164(text: string, now: number): SyslogMessage {
  const m = RFC3164.exec(text);
  if (m === null) {
    const pri = PRI.exec(text);
    throw new ParseError(pri === null ? 'not a syslog message (neither RFC 5424 nor RFC 3164)' : 'not an RFC 3164 message (<PRI>Mmm dd hh:mm:ss HOSTNAME TAG: MSG)');
  }
  const [, pri, mon, day, hh, mm, ss, host, rest] = m as unknown as Array<string | undefined>;
  const month = MONTHS.indexOf(mon as string);
  if (month < 0) throw new ParseError(`month ${JSON.stringify(mon)} is not a month`);
  const timestamp = closestYear(month, Number((day as string).trim()), Number(hh), Number(mm), Number(ss), now);
  const fields: Record<string, unknown> = { ...priorityFields(pri), timestamp: new Date(timestamp).toISOString(), hostname: host };
  const tag = TAG.exec(rest ?? '');
  if (tag !== null) {
    fields.appname = tag[1];
    if (tag[2] !== undefined) fields.procid = tag[2];
    if (tag[3] !== '') fields.message = tag[3];
  } else if (rest !== undefined && rest !== '') {
    fields.message = rest;
  }
  return { fields, timestamp };
}

/** The time in the year that is closest before `now`, allowing a day of clock skew into the future. */
function closestYear(month: number, day: number, h: number, m: number, s: number, now: number): number {
  if (h > 23 || m > 59 || s > 60) throw new ParseError(`time ${h}:${m}:${s} is not a time of day`);
  let year = new Date(now).getUTCFullYear();
  let t = Date.UTC(year, month, day, h, m, s);
  if (t > now + 86_400_000) t = Date.UTC(--year, month, day, h, m, s);
  if (new Date(t).getUTCDate() !== day) throw new ParseError(`date ${MONTHS[month]} ${day} does not exist in ${year}`);
  return t;
}
