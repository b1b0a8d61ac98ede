import { Buffer } from 'node:buffer';
import type { ClientBase, Connection, Submittable } from 'pg';

/**
 * `COPY ... FROM STDIN` on a pg client, without another dependency. pg runs any object with a
 * `submit(connection)` method as a query and routes the protocol messages of its turn to the
 * `handle*` methods below; this one answers CopyInResponse with the data, then CopyDone.
 *
 * Only the text format is produced here (`copyTextRow`); values go in as the same text that the
 * unnest path casts, so both write methods store identical data.
 */

/** The copy-related methods pg's Connection has but its type declarations leave out. */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/** Longest CopyData message sent; bigger payloads go as several. */
const CHUNK_BYTES = 64 * 1024;

class CopyFromStdin implements Submittable {
  private error: unknown;
  private settled = false;

  constructor(
    private readonly sql: string,
    private readonly data: Buffer,
    private readonly resolve: (rows: number) => void,
    private readonly reject: (err: unknown) => void,
  ) {}

  private rows = 0;

  submit(connection: Connection): void {
    (connection as unknown as CopyConnection).query(this.sql);
  }

  handleCopyInResponse(connection: Connection): void {
    const c = connection as unknown as CopyConnection;
    for (let at = 0; at < this.data.length; at += CHUNK_BYTES) c.sendCopyFromChunk(this.data.subarray(at, at + CHUNK_BYTES));
    c.endCopyFrom();
  }

  handleCommandComplete(msg: { text?: string }): void {
    const m = /^COPY (\d+)$/.exec(msg.text ?? '');
    if (m !== null) this.rows = Number(m[1]);
  }

  handleError(err: unknown): void {
    this.error ??= err;
    // A socket error arrives with no ReadyForQuery after it: settle now.
    this.finish();
  }

  handleReadyForQuery(): void {
    this.finish();
  }

  // Messages a COPY FROM does not produce; pg calls them only on protocol surprises.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.error !== undefined) this.reject(this.error);
    else this.resolve(this.rows);
  }
}

/** Runs `sql` (a `COPY ... FROM STDIN`) sending `data`; resolves with the rows copied. */
export function copyFrom(client: ClientBase, sql: string, data: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    client.query(new CopyFromStdin(sql, data, resolve, reject));
  });
}

/** One line of COPY text format: tab-separated, `\N` for NULL, backslash escapes. */
export function copyTextRow(values: ReadonlyArray<string | null>): string {
  return `${values.map((v) => (v === null ? '\\N' : escapeCopyText(v))).join('\t')}\n`;
}

const COPY_SPECIAL = /[\\\n\r\t]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeCopyText(text: string): string {
  return text.replace(COPY_SPECIAL, (c) => COPY_ESCAPES[c] ?? c);
}
