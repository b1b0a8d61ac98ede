/**
 * Joins physical lines into events (stack traces, pretty-printed records), as Filebeat's and
 * Vector's multiline settings do:
 *
 * - `start` mode: a line matching the pattern begins a new event; any other line joins the event
 *   before it (a file that starts with a non-matching line starts an event with it).
 * - `continuation` mode: a line matching the pattern joins the event before it; any other line
 *   begins a new event.
 *
 * An event is emitted when the next one begins, when it reaches `maxLines`, or `timeoutMs` after its
 * last line arrived (time from the injected clock), so the last event of a quiet file is not held
 * forever. Events longer than `maxBytes` keep their first `maxBytes` bytes and are marked truncated.
 *
 * Invariant: lines are consumed in file order, and an event's `end` is the offset after its last
 * line, so a position taken from an emitted event never covers a line still pending here.
 */
export interface LogLine {
  text: string;
  /** Byte length of `text` as it was in the file (for the size cap). */
  bytes: number;
  start: number;
  end: number;
  truncated: boolean;
  /** 1-based number of this physical line in the file. */
  lineNo: number;
}

export interface LogEvent {
  text: string;
  start: number;
  end: number;
  truncated: boolean;
  firstLine: number;
  lastLine: number;
}

export interface MultilineOptions {
  pattern: RegExp;
  mode: 'start' | 'continuation';
  timeoutMs: number;
  maxLines: number;
  maxBytes: number;
}

export function singleLineEvent(line: LogLine): LogEvent {
  return { text: line.text, start: line.start, end: line.end, truncated: line.truncated, firstLine: line.lineNo, lastLine: line.lineNo };
}

export class MultilineAggregator {
  private parts: string[] = [];
  private event: LogEvent | undefined;
  private bytes = 0;
  private lastAt = 0;

  constructor(private readonly o: MultilineOptions) {}

  /** Adds a line; returns the event it completed, if any. */
  push(line: LogLine, now: number): LogEvent | undefined {
    const matches = this.o.pattern.test(line.text);
    const joins = this.o.mode === 'start' ? !matches : matches;
    let done: LogEvent | undefined;
    if (this.event !== undefined && (!joins || this.parts.length >= this.o.maxLines)) done = this.flush();
    if (this.event === undefined) {
      this.event = { text: '', start: line.start, end: line.end, truncated: line.truncated, firstLine: line.lineNo, lastLine: line.lineNo };
      this.parts = [line.text];
      this.bytes = line.bytes;
    } else {
      this.event.end = line.end;
      this.event.lastLine = line.lineNo;
      this.event.truncated ||= line.truncated;
      const room = this.o.maxBytes - this.bytes - 1;
      if (room <= 0) this.event.truncated = true;
      else if (line.bytes > room) {
        this.parts.push(truncateToBytes(line.text, room));
        this.bytes = this.o.maxBytes;
        this.event.truncated = true;
      } else {
        this.parts.push(line.text);
        this.bytes += line.bytes + 1;
      }
    }
    this.lastAt = now;
    return done;
  }

  /** When the pending event times out, or undefined when nothing is pending. */
  get deadline(): number | undefined {
    return this.event === undefined ? undefined : this.lastAt + this.o.timeoutMs;
  }

  /** The pending event if its timeout has passed. */
  flushDue(now: number): LogEvent | undefined {
    const deadline = this.deadline;
    return deadline !== undefined && now >= deadline ? this.flush() : undefined;
  }

  /** The pending event, now. */
  flush(): LogEvent | undefined {
    const event = this.event;
    if (event === undefined) return undefined;
    event.text = this.parts.join('\n');
    this.event = undefined;
    this.parts = [];
    this.bytes = 0;
    return event;
  }
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `bytes`. */
function truncateToBytes(text: string, bytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= bytes) return text;
  let end = bytes;
  // Step back to a character boundary (UTF-8 continuation bytes are 10xxxxxx).
  while (end > 0 && ((buf[end] as number) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}
