import { ByteReader } from './byte-reader.ts';

/** First byte of a server response. */
export const OK = 0x00;
export const ERR = 0xff;
export const EOF_MARKER = 0xfe;

/** An ERR packet from the server, with MySQL's error number and SQL state. */
export class ServerError extends Error {
  readonly errno: number;
  readonly sqlState: string;

  constructor(errno: number, sqlState: string, message: string) {
    super(`${message} (errno ${errno}, sqlstate ${sqlState})`);
    this.name = 'ServerError';
    this.errno = errno;
    this.sqlState = sqlState;
  }
}

/* ERR_Packet => 0xff error_code:2 ['#' sql_state:5] error_message:EOF */
export function parseError(payload: Buffer): ServerError {
  const r = new ByteReader(payload, 1);
  const errno = r.u16();
  let sqlState = 'HY000';
  if (r.remaining > 0 && payload[r.pos] === 0x23) {
    r.skip(1);
    sqlState = r.string(5, 'latin1');
  }
  return new ServerError(errno, sqlState, r.rest().toString('utf8'));
}

export function isError(payload: Buffer): boolean {
  return payload[0] === ERR;
}

/** An EOF packet (0xfe and shorter than 9 bytes); a longer 0xfe packet is something else (auth switch). */
export function isEof(payload: Buffer): boolean {
  return payload[0] === EOF_MARKER && payload.length < 9;
}

/** Throws the server's error when `payload` is an ERR packet; returns it unchanged otherwise. */
export function checkError(payload: Buffer): Buffer {
  if (isError(payload)) throw parseError(payload);
  return payload;
}
