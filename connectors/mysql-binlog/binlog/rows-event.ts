import { ByteReader } from '../wire/byte-reader.ts';
import { decodeCell, type CellValue, type ColumnCodec } from './cell-decoder.ts';
import type { RowsKind } from './event-type.ts';
import { bitLsb } from './table-map-event.ts';

/**
 * A WRITE/UPDATE/DELETE_ROWS event (v1 or v2), with its rows still encoded: decoding needs the
 * table's column codecs, which depend on the preceding TABLE_MAP and the schema.
 *
 * post-header v1 => table_id:6 flags:2        v2 => table_id:6 flags:2 extra_len:2 extra:(extra_len-2)
 * body => width:lenenc present:bitmap [present_after:bitmap (update)] rows
 * row  => null_bitmap (over present columns) values (present, non-null columns, in column order)
 */
export interface RowsEvent {
  kind: RowsKind;
  tableId: number;
  flags: number;
  width: number;
  present: Buffer;
  presentAfter: Buffer | undefined;
  /** The encoded rows; `data.pos` is the first row. */
  data: ByteReader;
}

/** Rows event flag: the last rows event of the statement. */
export const STMT_END_F = 0x1;

export function decodeRowsHeader(r: ByteReader, kind: RowsKind, version: 1 | 2, tableIdWidth: 4 | 6): RowsEvent {
  const tableId = tableIdWidth === 6 ? r.u48() : r.u32();
  const flags = r.u16();
  if (version === 2) {
    const extra = r.u16();
    r.skip(extra - 2);
  }
  const width = r.lenenc();
  const bitmapBytes = (width + 7) >> 3;
  const present = r.bytes(bitmapBytes);
  const presentAfter = kind === 'update' ? r.bytes(bitmapBytes) : undefined;
  return { kind, tableId, flags, width, present, presentAfter, data: r };
}

/** A changed row: `before` for update/delete, `after` for insert/update; absent columns are undefined. */
export interface RowImage {
  before?: Array<CellValue | undefined>;
  after?: Array<CellValue | undefined>;
}

export function decodeRows(e: RowsEvent, columns: ColumnCodec[]): RowImage[] {
  if (columns.length !== e.width) {
    throw new Error(`decoding rows of table id ${e.tableId}: the event has ${e.width} columns, the table map ${columns.length}`);
  }
  const r = new ByteReader(e.data.buf, e.data.pos, e.data.end);
  const rows: RowImage[] = [];
  while (r.remaining > 0) {
    if (e.kind === 'insert') rows.push({ after: decodeImage(r, e.present, columns) });
    else if (e.kind === 'delete') rows.push({ before: decodeImage(r, e.present, columns) });
    else {
      const before = decodeImage(r, e.present, columns);
      const after = decodeImage(r, e.presentAfter ?? e.present, columns);
      rows.push({ before, after });
    }
  }
  return rows;
}

function decodeImage(r: ByteReader, present: Buffer, columns: ColumnCodec[]): Array<CellValue | undefined> {
  let presentCount = 0;
  for (let i = 0; i < columns.length; i++) if (bitLsb(present, i)) presentCount++;
  const nulls = r.bytes((presentCount + 7) >> 3);
  const image = new Array<CellValue | undefined>(columns.length).fill(undefined);
  let n = 0;
  for (let i = 0; i < columns.length; i++) {
    if (!bitLsb(present, i)) continue;
    const isNull = bitLsb(nulls, n++);
    if (isNull) {
      image[i] = null;
      continue;
    }
    try {
      image[i] = decodeCell(r, columns[i] as ColumnCodec);
    } catch (err) {
      throw new Error(`decoding column ${i + 1}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  return image;
}
