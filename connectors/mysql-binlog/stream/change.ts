import type { CellValue } from '../binlog/cell-decoder.ts';
import type { BinlogOffset } from '../position/binlog-offset.ts';
import type { DdlType, TableRef } from '../schema/ddl.ts';
import type { ResolvedTable } from '../schema/resolved-table.ts';

export type RowOp = 'insert' | 'update' | 'delete' | 'read';

/** What a change knows about the transaction it belongs to. */
export interface TxnInfo {
  /** The GTID when the server has one (`0-1-42`, `uuid:42`), else `file:pos` of the transaction start. */
  id: string;
  gtid: string | null;
  /** Thread id of the session that ran it (MySQL BEGIN/DDL query events; null on MariaDB transactions). */
  threadId: number | null;
  /** Statement text from ANNOTATE_ROWS / ROWS_QUERY events when the server logs it. */
  query: string | null;
  /** Where the transaction starts (snapshot rows: the snapshot's binlog position). */
  startFile: string;
  startPos: number;
}

interface ChangeBase {
  /** The position just after this change (see BinlogOffset). */
  offset: BinlogOffset;
  txn: TxnInfo;
  /** 1-based index of this change within its transaction. */
  indexInTxn: number;
  /** True for the last change of its transaction (always false for a split transaction's earlier parts). */
  lastInTxn: boolean;
  /** When the statement ran on the primary, seconds since the epoch (snapshot: when it was read). */
  timestamp: number;
  serverId: number;
  /** Binlog file and the position of the event carrying the change (Debezium's source.file/pos). */
  file: string;
  eventPos: number;
}

export interface RowChange extends ChangeBase {
  kind: 'row';
  op: RowOp;
  table: ResolvedTable;
  /** Values by column index; undefined for columns the row image does not carry. */
  before?: Array<CellValue | undefined>;
  after?: Array<CellValue | undefined>;
  /** 0-based row index within its rows event (Debezium's source.row). */
  rowInEvent: number;
  /** Snapshot reads: `true`, or `last` on the very last row of the snapshot. */
  snapshot?: 'true' | 'last';
}

export interface DdlChange extends ChangeBase {
  kind: 'ddl';
  type: DdlType;
  database: string;
  /** The tables the statement touches (empty for database DDL). */
  tables: TableRef[];
  sql: string;
}

export type Change = RowChange | DdlChange;
