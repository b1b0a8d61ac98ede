import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ChecksumAlg } from '../../../connectors/mysql-binlog/binlog/checksum.ts';
import { EventDecoder, type BinlogEvent } from '../../../connectors/mysql-binlog/binlog/events.ts';

/** Binlog bytes captured from a real MariaDB by test/fixtures/mysql-binlog/capture.ts. */
export interface BinlogFixture {
  server: string;
  columns: string[];
  /** SELECT of the torture rows: per row, per column, the raw text-protocol bytes as hex, or null. */
  select: Array<Array<string | null>>;
  /** Raw events (header to checksum) as hex, in binlog order. */
  events: string[];
}

export function loadFixture(name = 'mariadb-torture.json'): BinlogFixture {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/mysql-binlog/${name}`, import.meta.url)), 'utf8')) as BinlogFixture;
}

export function rawEvents(f: BinlogFixture): Buffer[] {
  return f.events.map((h) => Buffer.from(h, 'hex'));
}

export function decodeAll(f: BinlogFixture): BinlogEvent[] {
  const decoder = new EventDecoder(ChecksumAlg.CRC32, /mariadb/i.test(f.server));
  return rawEvents(f).map((raw) => decoder.decode(raw));
}
