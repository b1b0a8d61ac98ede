import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { BinlogOffset } from '../position/binlog-offset.ts';

/**
 * The server's current binlog position: file and position from SHOW MASTER STATUS (MySQL 8.4+:
 * SHOW BINARY LOG STATUS), and the GTID position at that point: MariaDB's BINLOG_GTID_POS(file, pos)
 * for exactly that file and position, MySQL's Executed_Gtid_Set from the same statement.
 */
export async function readServerPosition(c: PoolConnection, mariaDb: boolean): Promise<BinlogOffset> {
  let rows: RowDataPacket[];
  try {
    [rows] = await c.query<RowDataPacket[]>('SHOW MASTER STATUS');
  } catch {
    [rows] = await c.query<RowDataPacket[]>('SHOW BINARY LOG STATUS');
  }
  const status = rows[0];
  if (status === undefined) throw new Error('SHOW MASTER STATUS returned nothing: is the binary log enabled (log_bin)?');
  const file = String(status.File);
  const pos = Number(status.Position);
  let gtid: string | undefined;
  if (mariaDb) {
    const [g] = await c.query<RowDataPacket[]>('SELECT BINLOG_GTID_POS(?, ?) AS gtid', [file, pos]);
    gtid = (g[0]?.gtid as string | null) ?? undefined;
  } else {
    gtid = typeof status.Executed_Gtid_Set === 'string' ? status.Executed_Gtid_Set.replace(/\s+/g, '') : undefined;
  }
  return { file, pos, row: 0, ...(gtid ? { gtid } : {}) };
}
