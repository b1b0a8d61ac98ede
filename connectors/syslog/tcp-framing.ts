/**
 * Splits a TCP byte stream into syslog messages (RFC 6587): a frame starting with a digit is
 * octet-counted (`<length> SP <message>`); anything else is a message ending at LF (a CR before it
 * is dropped). Senders use one style per connection in practice; each frame is judged on its own.
 *
 * Invariant: held bytes never exceed `maxMessageBytes` plus a length prefix; a frame that would is
 * reported through `onError` and the connection must be closed (its framing can no longer be trusted).
 */
export class SyslogFramer {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly maxMessageBytes: number) {}

  /** Adds bytes; returns the complete messages, or throws FramingError on a broken stream. */
  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: Buffer[] = [];
    for (;;) {
      if (this.buffer.length === 0) return out;
      const first = this.buffer[0] as number;
      if (first >= 0x30 && first <= 0x39) {
        const space = this.buffer.indexOf(0x20);
        if (space < 0) {
          if (this.buffer.length > 10) throw new FramingError('an octet-count prefix has no space after it');
          return out;
        }
        const length = Number(this.buffer.subarray(0, space).toString('latin1'));
        if (!Number.isSafeInteger(length) || !/^\d+$/.test(this.buffer.subarray(0, space).toString('latin1'))) throw new FramingError('an octet-count prefix is not a number');
        if (length > this.maxMessageBytes) throw new FramingError(`a frame of ${length} bytes exceeds maxMessageBytes (${this.maxMessageBytes})`);
        if (this.buffer.length < space + 1 + length) return out;
        out.push(this.buffer.subarray(space + 1, space + 1 + length));
        this.buffer = this.buffer.subarray(space + 1 + length);
        continue;
      }
      const nl = this.buffer.indexOf(0x0a);
      if (nl < 0) {
        if (this.buffer.length > this.maxMessageBytes) throw new FramingError(`a line longer than maxMessageBytes (${this.maxMessageBytes}) has no newline`);
        return out;
      }
      const end = nl > 0 && this.buffer[nl - 1] === 0x0d ? nl - 1 : nl;
      if (end > 0) out.push(this.buffer.subarray(0, end));
      this.buffer = this.buffer.subarray(nl + 1);
    }
  }
}

export class FramingError extends Error {}
