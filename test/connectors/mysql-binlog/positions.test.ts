import { describe, expect, it } from 'vitest';
import { offsetFromRecord, offsetToRecord } from '../../../connectors/mysql-binlog/position/binlog-offset.ts';
import { MariaGtidState } from '../../../connectors/mysql-binlog/position/mariadb-gtid.ts';
import { MysqlGtidSet } from '../../../connectors/mysql-binlog/position/mysql-gtid-set.ts';
import { ByteReader } from '../../../connectors/mysql-binlog/wire/byte-reader.ts';
import { TableFilter } from '../../../connectors/mysql-binlog/stream/table-filter.ts';

const U1 = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
const U2 = '00000000-0000-0000-0000-000000000001';

describe('MariaDB GTID positions', () => {
  it('keeps one GTID per domain, sorted by domain', () => {
    const s = MariaGtidState.parse('1-3-12,0-1-1207').with({ domain: 0, server: 2, seq: 1208n }).with({ domain: 5, server: 1, seq: 1n });
    expect(s.toString()).toBe('0-2-1208,1-3-12,5-1-1');
    expect(MariaGtidState.parse('').isEmpty).toBe(true);
    expect(() => MariaGtidState.parse('0-1')).toThrow(/not a MariaDB GTID/);
  });
});

describe('MySQL GTID sets', () => {
  it('parses, merges adjacent intervals and prints canonically', () => {
    const s = MysqlGtidSet.parse(`${U1.toUpperCase()}:1-5:7, ${U2}:3`).with(U1, 6n).with(U2, 4n);
    expect(s.toString()).toBe(`${U2}:3-4,${U1}:1-7`);
    expect(s.contains(U1, 7n)).toBe(true);
    expect(s.contains(U1, 8n)).toBe(false);
  });

  it('round-trips through the binary form of COM_BINLOG_DUMP_GTID and PREVIOUS_GTIDS', () => {
    const s = MysqlGtidSet.parse(`${U1}:1-100:200-300,${U2}:9`);
    const encoded = s.encode();
    expect(encoded.length).toBe(8 + (16 + 8 + 2 * 16) + (16 + 8 + 16));
    expect(MysqlGtidSet.decode(new ByteReader(encoded)).toString()).toBe(s.toString());
  });
});

describe('stored offsets', () => {
  it('round-trip and reject what this connector never wrote', () => {
    const o = { file: 'binlog.000002', pos: 1234, row: 7, gtid: '0-1-9' };
    expect(offsetFromRecord(offsetToRecord(o))).toEqual(o);
    expect(offsetFromRecord({ file: 'b', pos: 2 })).toMatch(/position/);
    expect(offsetFromRecord({ pos: 5 })).toMatch(/file/);
    expect(offsetFromRecord({ file: 'b', pos: 5 })).toEqual({ file: 'b', pos: 5, row: 0 });
  });
});

describe("table filter (Canal's filter.regex / filter.black.regex)", () => {
  it('matches whole database.table names case-insensitively; exclude wins; system schemas never', () => {
    const f = new TableFilter(['shop\\..*', 'crm\\.customers'], ['shop\\.tmp_.*']);
    expect(f.matches('shop', 'orders')).toBe(true);
    expect(f.matches('SHOP', 'Orders')).toBe(true);
    expect(f.matches('shop', 'tmp_x')).toBe(false);
    expect(f.matches('crm', 'customers')).toBe(true);
    expect(f.matches('crm', 'customers2')).toBe(false);
    expect(f.matches('myshop', 'orders')).toBe(false);
    expect(new TableFilter([], []).matches('any', 'thing')).toBe(true);
    expect(new TableFilter([], []).matches('mysql', 'user')).toBe(false);
  });
});
