/**
 * Binlog event type codes (MySQL `Log_event_type`, MariaDB additions from 160). Only the ones this
 * connector decodes or deliberately passes over are named; any other code is skipped with a debug log.
 */
export const EventType = {
  START_V3: 1,
  QUERY: 2,
  STOP: 3,
  ROTATE: 4,
  INTVAR: 5,
  RAND: 13,
  USER_VAR: 14,
  FORMAT_DESCRIPTION: 15,
  XID: 16,
  TABLE_MAP: 19,
  WRITE_ROWS_V1: 23,
  UPDATE_ROWS_V1: 24,
  DELETE_ROWS_V1: 25,
  INCIDENT: 26,
  HEARTBEAT: 27,
  ROWS_QUERY: 29,
  WRITE_ROWS_V2: 30,
  UPDATE_ROWS_V2: 31,
  DELETE_ROWS_V2: 32,
  GTID: 33,
  ANONYMOUS_GTID: 34,
  PREVIOUS_GTIDS: 35,
  TRANSACTION_CONTEXT: 36,
  VIEW_CHANGE: 37,
  XA_PREPARE: 38,
  PARTIAL_UPDATE_ROWS: 39,
  TRANSACTION_PAYLOAD: 40,
  HEARTBEAT_V2: 41,
  MARIADB_ANNOTATE_ROWS: 160,
  MARIADB_BINLOG_CHECKPOINT: 161,
  MARIADB_GTID: 162,
  MARIADB_GTID_LIST: 163,
  MARIADB_START_ENCRYPTION: 164,
  MARIADB_QUERY_COMPRESSED: 165,
  MARIADB_WRITE_ROWS_COMPRESSED_V1: 169,
  MARIADB_UPDATE_ROWS_COMPRESSED_V1: 170,
  MARIADB_DELETE_ROWS_COMPRESSED_V1: 171,
} as const;

export type RowsKind = 'insert' | 'update' | 'delete';

/** Row event codes by kind and version; v2 (MySQL 5.6+) adds an extra-data block to the post-header. */
export function rowsEventKind(type: number): { kind: RowsKind; version: 1 | 2 } | undefined {
  switch (type) {
    case EventType.WRITE_ROWS_V1:
      return { kind: 'insert', version: 1 };
    case EventType.UPDATE_ROWS_V1:
      return { kind: 'update', version: 1 };
    case EventType.DELETE_ROWS_V1:
      return { kind: 'delete', version: 1 };
    case EventType.WRITE_ROWS_V2:
      return { kind: 'insert', version: 2 };
    case EventType.UPDATE_ROWS_V2:
      return { kind: 'update', version: 2 };
    case EventType.DELETE_ROWS_V2:
      return { kind: 'delete', version: 2 };
    default:
      return undefined;
  }
}

export function eventTypeName(type: number): string {
  for (const [name, code] of Object.entries(EventType)) if (code === type) return name;
  return `UNKNOWN_${type}`;
}

/** Header flag: the event was made up by the server (fake ROTATE, relay-log FDE); its position is not a resume point. */
export const LOG_EVENT_ARTIFICIAL_F = 0x20;
