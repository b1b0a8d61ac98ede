import { ByteReader } from '../wire/byte-reader.ts';

/* Binlog event header (v4), 19 bytes: timestamp:4 type:1 server_id:4 event_size:4 log_pos:4 flags:2 */
export const EVENT_HEADER_LENGTH = 19;

export interface EventHeader {
  /** Seconds since the epoch when the statement started on the primary. */
  timestamp: number;
  type: number;
  serverId: number;
  /** Header + body + checksum. */
  eventSize: number;
  /** Position just after this event in its binlog file; 0 for events the server made up. */
  logPos: number;
  flags: number;
}

export function readEventHeader(r: ByteReader): EventHeader {
  return { timestamp: r.u32(), type: r.u8(), serverId: r.u32(), eventSize: r.u32(), logPos: r.u32(), flags: r.u16() };
}
