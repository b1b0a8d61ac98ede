import type { Schema } from '../../src/sdk/schema.ts';
import { toTwosComplement, unscaled } from '../../src/serde/decimal.ts';

/**
 * The benchmark's record: one row of an `orders` table as a Debezium-style CDC source attaches it, 20
 * columns wide: int64 keys, Decimals, Debezium temporal numbers, nullable columns and short strings.
 */
const DECIMAL = 'org.apache.kafka.connect.data.Decimal';
const decimal = (precision: number, scale: number, optional = false): Schema => ({
  type: 'bytes',
  optional,
  name: DECIMAL,
  version: 1,
  parameters: { scale: String(scale), 'connect.decimal.precision': String(precision) },
});

export const cdcRowSchema: Schema = {
  type: 'struct',
  name: 'bench.shop.orders.Value',
  fields: [
    { field: 'id', schema: { type: 'int64' } },
    { field: 'order_no', schema: { type: 'int64' } },
    { field: 'customer_id', schema: { type: 'int64', optional: true } },
    { field: 'sku', schema: { type: 'string' } },
    { field: 'status', schema: { type: 'string', name: 'io.debezium.data.Enum', version: 1, parameters: { allowed: 'new,paid,shipped' } } },
    { field: 'quantity', schema: { type: 'int32' } },
    { field: 'unit_price', schema: decimal(10, 2) },
    { field: 'total', schema: decimal(12, 2) },
    { field: 'discount', schema: decimal(5, 2, true) },
    { field: 'currency', schema: { type: 'string' } },
    { field: 'weight_kg', schema: { type: 'float64' } },
    { field: 'is_gift', schema: { type: 'boolean' } },
    { field: 'note', schema: { type: 'string', optional: true } },
    { field: 'created_at', schema: { type: 'int64', name: 'io.debezium.time.MicroTimestamp', version: 1 } },
    { field: 'updated_at', schema: { type: 'int64', name: 'io.debezium.time.Timestamp', version: 1 } },
    { field: 'ship_date', schema: { type: 'int32', optional: true, name: 'io.debezium.time.Date', version: 1 } },
    { field: 'ship_time', schema: { type: 'int64', optional: true, name: 'io.debezium.time.MicroTime', version: 1 } },
    { field: 'warehouse', schema: { type: 'int16' } },
    { field: 'email', schema: { type: 'string' } },
    { field: 'row_version', schema: { type: 'int32' } },
  ],
};

const STATUSES = ['new', 'paid', 'shipped'] as const;

/** Row `i` as Tributary holds it: decimals as decimal text, Debezium temporals as numbers. */
export function cdcRow(i: number): Record<string, unknown> {
  return {
    id: 1_000_000 + i,
    order_no: 20_240_000_000 + i,
    customer_id: i % 7 === 0 ? null : 5_000 + (i % 977),
    sku: `SKU-${(i * 7919) % 100_000}`,
    status: STATUSES[i % 3],
    quantity: 1 + (i % 9),
    unit_price: `${(i % 500) + 1}.${String(i % 100).padStart(2, '0')}`,
    total: `${((i % 500) + 1) * (1 + (i % 9))}.${String((i * 3) % 100).padStart(2, '0')}`,
    discount: i % 4 === 0 ? '5.00' : null,
    currency: i % 2 === 0 ? 'EUR' : 'USD',
    weight_kg: (i % 1000) / 37,
    is_gift: i % 5 === 0,
    note: i % 3 === 0 ? null : `leave at door ${i % 13}`,
    created_at: 1_704_067_200_000_000 + i * 1_000_003,
    updated_at: 1_704_067_200_000 + i * 1_001,
    ship_date: i % 6 === 0 ? null : 19_723 + (i % 30),
    ship_time: i % 6 === 0 ? null : 36_000_000_000 + i,
    warehouse: i % 12,
    email: `customer${i % 977}@example.com`,
    row_version: 1 + (i % 4),
  };
}

/**
 * The same row as avsc wants it without any framework: decimals already as two's-complement bytes
 * (what a caller of avsc alone must produce itself), everything else unchanged.
 */
export function rawAvroRow(row: Record<string, unknown>): Record<string, unknown> {
  const bytes = (text: unknown) => (text === null ? null : toTwosComplement(unscaled(text as string, 2)));
  return { ...row, unit_price: bytes(row.unit_price), total: bytes(row.total), discount: bytes(row.discount) };
}
