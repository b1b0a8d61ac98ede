/**
 * The type-torture table: every column type the connector must carry losslessly, and rows with the
 * edge values of each (minimum, maximum, zero and negative zero, zero dates, 4-byte UTF-8, every
 * fractional-second width, NULL in every column). Shared by the integration test (live server) and
 * the fixture capture (bytes for the unit tests).
 *
 * Rows are inserted with sql_mode='' (zero dates and the invalid ENUM '' allowed) and time_zone
 * '+00:00', so TIMESTAMP text is UTC both in SELECT and in the decoded values.
 */
export interface TortureColumn {
  name: string;
  type: string;
  /** How to compare a decoded value with the SELECTed text. */
  kind: 'int' | 'float' | 'double' | 'text' | 'bytes' | 'bit';
}

export const TORTURE_COLUMNS: TortureColumn[] = [
  { name: 'i8', type: 'TINYINT', kind: 'int' },
  { name: 'u8', type: 'TINYINT UNSIGNED', kind: 'int' },
  { name: 'i16', type: 'SMALLINT', kind: 'int' },
  { name: 'u16', type: 'SMALLINT UNSIGNED', kind: 'int' },
  { name: 'i24', type: 'MEDIUMINT', kind: 'int' },
  { name: 'u24', type: 'MEDIUMINT UNSIGNED', kind: 'int' },
  { name: 'i32', type: 'INT', kind: 'int' },
  { name: 'u32', type: 'INT UNSIGNED', kind: 'int' },
  { name: 'i64', type: 'BIGINT', kind: 'int' },
  { name: 'u64', type: 'BIGINT UNSIGNED', kind: 'int' },
  { name: 'f32', type: 'FLOAT', kind: 'float' },
  { name: 'f64', type: 'DOUBLE', kind: 'double' },
  { name: 'd65', type: 'DECIMAL(65,30)', kind: 'text' },
  { name: 'd10', type: 'DECIMAL(10,2)', kind: 'text' },
  { name: 'd18', type: 'DECIMAL(18,9)', kind: 'text' },
  { name: 'd5', type: 'DECIMAL(5,0) UNSIGNED', kind: 'text' },
  { name: 'b1', type: 'BIT(1)', kind: 'bit' },
  { name: 'b13', type: 'BIT(13)', kind: 'bit' },
  { name: 'b64', type: 'BIT(64)', kind: 'bit' },
  { name: 'yr', type: 'YEAR', kind: 'int' },
  { name: 'dt', type: 'DATE', kind: 'text' },
  { name: 't0', type: 'TIME', kind: 'text' },
  { name: 't2', type: 'TIME(2)', kind: 'text' },
  { name: 't3', type: 'TIME(3)', kind: 'text' },
  { name: 't6', type: 'TIME(6)', kind: 'text' },
  { name: 'dt0', type: 'DATETIME', kind: 'text' },
  { name: 'dt1', type: 'DATETIME(1)', kind: 'text' },
  { name: 'dt4', type: 'DATETIME(4)', kind: 'text' },
  { name: 'dt6', type: 'DATETIME(6)', kind: 'text' },
  { name: 'ts0', type: 'TIMESTAMP NULL', kind: 'text' },
  { name: 'ts3', type: 'TIMESTAMP(3) NULL', kind: 'text' },
  { name: 'ts6', type: 'TIMESTAMP(6) NULL', kind: 'text' },
  { name: 'ch', type: 'CHAR(10)', kind: 'text' },
  { name: 'vc', type: 'VARCHAR(300)', kind: 'text' },
  { name: 'vl', type: 'VARCHAR(40) CHARACTER SET latin1', kind: 'text' },
  { name: 'c255', type: 'CHAR(255)', kind: 'text' },
  { name: 'tx', type: 'TEXT', kind: 'text' },
  { name: 'ttx', type: 'TINYTEXT', kind: 'text' },
  { name: 'mtx', type: 'MEDIUMTEXT', kind: 'text' },
  { name: 'ltx', type: 'LONGTEXT', kind: 'text' },
  { name: 'bn', type: 'BINARY(4)', kind: 'bytes' },
  { name: 'vb', type: 'VARBINARY(10)', kind: 'bytes' },
  { name: 'bl', type: 'BLOB', kind: 'bytes' },
  { name: 'lbl', type: 'LONGBLOB', kind: 'bytes' },
  { name: 'en', type: "ENUM('a','b','c''q')", kind: 'text' },
  { name: 'st', type: "SET('a','b','c','d','e','f','g','h','i')", kind: 'text' },
  { name: 'js', type: 'JSON', kind: 'text' },
  { name: 'geo', type: 'GEOMETRY', kind: 'bytes' },
  { name: 'pt', type: 'POINT', kind: 'bytes' },
];

export function tortureCreateTable(database: string, table = 'torture'): string {
  const cols = TORTURE_COLUMNS.map((c) => `\`${c.name}\` ${c.type}`).join(',\n  ');
  return `CREATE TABLE \`${database}\`.\`${table}\` (\n  id INT NOT NULL PRIMARY KEY,\n  ${cols}\n) DEFAULT CHARSET=utf8mb4`;
}

/** SQL expressions per column for each row (NULL row included). Keys are column names. */
export const TORTURE_ROWS: Array<Record<string, string>> = [
  {
    // minimums
    i8: '-128', u8: '0', i16: '-32768', u16: '0', i24: '-8388608', u24: '0', i32: '-2147483648', u32: '0',
    i64: '-9223372036854775808', u64: '0', f32: '-3.40282e38', f64: '-1.7976931348623157e308',
    d65: "'-99999999999999999999999999999999999.999999999999999999999999999999'", d10: '-99999999.99', d18: '-999999999.999999999', d5: '0',
    b1: "b'0'", b13: "b'0'", b64: "b'0'", yr: '1901', dt: "'1000-01-01'",
    t0: "'-838:59:59'", t2: "'-838:59:58.99'", t3: "'-838:59:58.999'", t6: "'-838:59:58.999999'",
    dt0: "'1000-01-01 00:00:00'", dt1: "'1000-01-01 00:00:00.0'", dt4: "'1000-01-01 00:00:00.0001'", dt6: "'1000-01-01 00:00:00.000001'",
    ts0: "'1970-01-01 00:00:01'", ts3: "'1970-01-01 00:00:01.001'", ts6: "'1970-01-01 00:00:01.000001'",
    ch: "''", vc: "''", vl: "''", c255: "''", tx: "''", ttx: "''", mtx: "''", ltx: "''",
    bn: "x'00000000'", vb: "x''", bl: "x''", lbl: "x''", en: "'a'", st: "''", js: "'[]'",
    geo: "ST_GeomFromText('POINT(0 0)')", pt: "ST_GeomFromText('POINT(-180 -90)')",
  },
  {
    // maximums, 4-byte UTF-8, non-ASCII latin1
    i8: '127', u8: '255', i16: '32767', u16: '65535', i24: '8388607', u24: '16777215', i32: '2147483647', u32: '4294967295',
    i64: '9223372036854775807', u64: '18446744073709551615', f32: '3.40282e38', f64: '1.7976931348623157e308',
    d65: "'99999999999999999999999999999999999.999999999999999999999999999999'", d10: '99999999.99', d18: '999999999.999999999', d5: '99999',
    b1: "b'1'", b13: "b'1111111111111'", b64: "b'1111111111111111111111111111111111111111111111111111111111111111'", yr: '2155', dt: "'9999-12-31'",
    t0: "'838:59:59'", t2: "'838:59:58.99'", t3: "'838:59:58.999'", t6: "'838:59:58.999999'",
    dt0: "'9999-12-31 23:59:59'", dt1: "'9999-12-31 23:59:59.9'", dt4: "'9999-12-31 23:59:59.9999'", dt6: "'9999-12-31 23:59:59.999999'",
    ts0: "'2038-01-19 03:14:07'", ts3: "'2038-01-19 03:14:07.999'", ts6: "'2038-01-19 03:14:07.999999'",
    ch: "'ZZZZZZZZZZ'", vc: "'😀🎉 ünïcödé 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 中文 «»'", vl: "'Ångström € ÿ'", c255: `'${'x'.repeat(255)}'`,
    tx: "REPEAT('abc😀', 100)", ttx: `'${'t'.repeat(255)}'`, mtx: "REPEAT('m', 300)", ltx: "REPEAT('L😀', 100)",
    bn: "x'FFFFFFFF'", vb: "x'00FF00FF7F80'", bl: "x'000102FEFF'", lbl: "REPEAT(x'00FF', 100)",
    en: "'c''q'", st: "'a,b,c,d,e,f,g,h,i'", js: '\'{"k": [1, 2.5, "x", null, true], "nested": {"e": "😀"}}\'',
    geo: "ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))')", pt: "ST_GeomFromText('POINT(180 90)')",
  },
  {
    // zeros, negative zero, zero and partial dates, invalid ENUM index 0
    i8: '0', u8: '0', i16: '-1', u16: '1', i24: '-1', u24: '1', i32: '-1', u32: '2147483648',
    i64: '-1', u64: '9223372036854775808', f32: '-1e-300 * 1e-300', f64: '-1e-300 * 1e-300',
    d65: "'-0.000000000000000000000000000001'", d10: '-0.00', d18: '0.000000001', d5: '1',
    b1: "b'1'", b13: "b'1000000000001'", b64: "b'1000000000000000000000000000000000000000000000000000000000000001'", yr: '0', dt: "'0000-00-00'",
    t0: "'00:00:00'", t2: "'-00:00:00.01'", t3: "'-00:00:00.5'", t6: "'-00:00:00.000001'",
    dt0: "'0000-00-00 00:00:00'", dt1: "'2024-00-15 00:00:00.5'", dt4: "'2024-02-29 12:34:56.7891'", dt6: "'2024-02-29 12:34:56.000001'",
    ts0: "'0000-00-00 00:00:00'", ts3: "'2024-02-29 12:34:56.5'", ts6: "'2001-09-09 01:46:40.123456'",
    ch: "'  lead'", vc: "'trailing  '", vl: "'\\'quote\\' \\\\ back'", c255: "'é'", tx: "'line1\\nline2\\ttab'", ttx: "'\\0nul'", mtx: "''", ltx: "'x'",
    bn: "x'00'", vb: "x'20'", bl: "x'00'", lbl: "x'7F'", en: "''", st: "'b,d'", js: "'\"just a string\"'",
    geo: "ST_GeomFromText('LINESTRING(0 0,1.5 -2.25)')", pt: "ST_GeomFromText('POINT(0.1 -0.2)')",
  },
  {
    // small fractions and precision
    i8: '1', u8: '128', i16: '256', u16: '32768', i24: '65536', u24: '8388608', i32: '16777216', u32: '1',
    i64: '9007199254740993', u64: '18446744073709551614', f32: '0.1', f64: '0.1',
    d65: "'0.000000000000000000000000000001'", d10: '0.01', d18: '-0.000000001', d5: '10000',
    b1: "b'0'", b13: "b'101'", b64: "b'1'", yr: '2024', dt: "'2024-02-29'",
    t0: "'-00:00:01'", t2: "'12:34:56.07'", t3: "'-12:34:56.001'", t6: "'-12:34:56.999999'",
    dt0: "'1970-01-01 00:00:00'", dt1: "'1969-12-31 23:59:59.9'", dt4: "'0001-01-01 00:00:00.0001'", dt6: "'2000-01-01 00:00:00.5'",
    ts0: "'1999-12-31 23:59:59'", ts3: "'2000-01-01 00:00:00.010'", ts6: "'2000-01-01 00:00:00.000010'",
    ch: "'a'", vc: "'a'", vl: "'a'", c255: "'a'", tx: "'a'", ttx: "'a'", mtx: "'a'", ltx: "'a'",
    bn: "x'0A0B0C0D'", vb: "x'0A'", bl: "x'0A'", lbl: "x'0A'", en: "'b'", st: "'i'", js: "'{}'",
    geo: "ST_GeomFromText('MULTIPOINT(1 1,2 2)')", pt: "ST_GeomFromText('POINT(1e10 -1e-10)')",
  },
  {}, // NULL in every column
];

export function tortureInsert(database: string, table: string, id: number, row: Record<string, string>): string {
  const names = ['id', ...TORTURE_COLUMNS.map((c) => c.name)].map((n) => `\`${n}\``).join(', ');
  const values = [String(id), ...TORTURE_COLUMNS.map((c) => row[c.name] ?? 'NULL')].join(', ');
  return `INSERT INTO \`${database}\`.\`${table}\` (${names}) VALUES (${values})`;
}

/** The session settings the rows need (zero dates, invalid ENUM '', UTC timestamps). */
export const TORTURE_SESSION = ["SET SESSION sql_mode = ''", "SET SESSION time_zone = '+00:00'"];

/** `SELECT` text and bytes of a row set, one entry per row: column -> raw bytes (hex) or null. */
export const TORTURE_SELECT_COLUMNS = ['id', ...TORTURE_COLUMNS.map((c) => c.name)];
