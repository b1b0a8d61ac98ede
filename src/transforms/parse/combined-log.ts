import { ParseError } from '../parser-transform.ts';

/**
 * The NCSA common and combined access log formats, as nginx (`log_format combined`) and Apache
 * (`%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\"`) write them:
 *
 *   203.0.113.9 - alice [10/Oct/2023:13:55:36 -0700] "GET /a?b=1 HTTP/1.1" 200 2326 "https://x/" "curl/8.0"
 *
 * Fields take nginx's variable names: remote_addr, remote_user, time (ISO-8601, UTC), request (the
 * raw request line) and, when it has the usual three parts, method, path and protocol; status,
 * body_bytes_sent, and for the combined format http_referer and http_user_agent. `-` is null
 * (body_bytes_sent `-` is 0, as Apache means it). Anything after the user agent (nginx setups often
 * append `"$http_x_forwarded_for"`) is kept as `extra`.
 */
const QUOTED = '"((?:[^"\\\\]|\\\\.)*)"';
const LINE = new RegExp(`^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] ${QUOTED} (\\d{3}) (\\d+|-)(?: ${QUOTED} ${QUOTED})?(?: (.*))?$`);
const TIME = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface AccessLogLine {
  fields: Record<string, unknown>;
  timestamp: number;
}

export function parseCombinedLog(line: string): AccessLogLine {
  const m = LINE.exec(line);
  if (m === null) throw new ParseError('the line is not in the common or combined log format');
  const [, addr, , user, time, request, status, bytes, referer, agent, extra] = m as unknown as Array<string | undefined>;
  const timestamp = parseClfTime(time as string);
  const fields: Record<string, unknown> = {
    remote_addr: addr,
    remote_user: dash(user),
    time: new Date(timestamp).toISOString(),
    request: unescape(request as string),
  };
  const parts = /^([A-Z]+) (\S+) (HTTP\/[\d.]+)$/.exec(fields.request as string);
  if (parts !== null) {
    fields.method = parts[1];
    fields.path = parts[2];
    fields.protocol = parts[3];
  }
  fields.status = Number(status);
  fields.body_bytes_sent = bytes === '-' ? 0 : Number(bytes);
  if (referer !== undefined) {
    fields.http_referer = dash(unescape(referer));
    fields.http_user_agent = dash(unescape(agent as string));
  }
  if (extra !== undefined && extra !== '') fields.extra = extra;
  return { fields, timestamp };
}

function dash(v: string | undefined): string | null {
  return v === undefined || v === '-' ? null : v;
}

/** nginx escapes `"` and `\` (and control bytes as \xHH) inside quoted fields. */
function unescape(v: string): string {
  return v.replace(/\\x([0-9A-Fa-f]{2})|\\(.)/g, (_, hex: string | undefined, c: string | undefined) => (hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : (c as string)));
}

/** `10/Oct/2023:13:55:36 -0700` to epoch milliseconds. */
export function parseClfTime(text: string): number {
  const t = TIME.exec(text);
  if (t === null) throw new ParseError(`time ${JSON.stringify(text)} is not dd/Mon/yyyy:HH:mm:ss +zzzz`);
  const month = MONTHS.indexOf(t[2] as string);
  if (month < 0) throw new ParseError(`time ${JSON.stringify(text)} has an unknown month`);
  const offset = (t[7] === '-' ? -1 : 1) * (Number(t[8]) * 60 + Number(t[9]));
  const local = Date.UTC(Number(t[3]), month, Number(t[1]), Number(t[4]), Number(t[5]), Number(t[6]));
  if (new Date(local).getUTCDate() !== Number(t[1])) throw new ParseError(`time ${JSON.stringify(text)} is not a real date`);
  return local - offset * 60_000;
}
