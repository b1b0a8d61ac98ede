/**
 * Aborted transactions whose abort marker lies in one segment (Kafka's `.txnindex`). Read-committed
 * consumers get the aborted ranges overlapping a fetch and drop those producers' records.
 * On disk: 34-byte entries as in Kafka: version:int16(0) producerId:int64 firstOffset:int64
 * lastOffset:int64 lastStableOffset:int64. A torn trailing entry is ignored on load.
 */

export const TXN_ENTRY_SIZE = 34;

export interface AbortedTxn {
  producerId: bigint;
  /** First offset of the transaction's data (or the marker's own offset if it had none). */
  firstOffset: bigint;
  /** Offset of the abort marker. */
  lastOffset: bigint;
  /** The partition's LSO right after the abort completed. */
  lastStableOffset: bigint;
}

export function serializeAbortedTxns(entries: readonly AbortedTxn[]): Buffer {
  const buf = Buffer.allocUnsafe(entries.length * TXN_ENTRY_SIZE);
  entries.forEach((e, i) => writeEntry(buf, i * TXN_ENTRY_SIZE, e));
  return buf;
}

export function serializeAbortedTxn(e: AbortedTxn): Buffer {
  const buf = Buffer.allocUnsafe(TXN_ENTRY_SIZE);
  writeEntry(buf, 0, e);
  return buf;
}

function writeEntry(buf: Buffer, off: number, e: AbortedTxn): void {
  buf.writeInt16BE(0, off);
  buf.writeBigInt64BE(e.producerId, off + 2);
  buf.writeBigInt64BE(e.firstOffset, off + 10);
  buf.writeBigInt64BE(e.lastOffset, off + 18);
  buf.writeBigInt64BE(e.lastStableOffset, off + 26);
}

export function parseAbortedTxns(buf: Buffer): AbortedTxn[] {
  const out: AbortedTxn[] = [];
  for (let off = 0; off + TXN_ENTRY_SIZE <= buf.length; off += TXN_ENTRY_SIZE) {
    if (buf.readInt16BE(off) !== 0) break;
    out.push({
      producerId: buf.readBigInt64BE(off + 2),
      firstOffset: buf.readBigInt64BE(off + 10),
      lastOffset: buf.readBigInt64BE(off + 18),
      lastStableOffset: buf.readBigInt64BE(off + 26),
    });
  }
  return out;
}
