import type { DatagenConfig } from './config.ts';
import { hashString, recordRandom } from './prng.ts';
import { GENERATED_EPOCH_MS, MS_PER_ID, TIMESTAMP_LOGICAL, type Shape } from './shape.ts';

const SALT = hashString('orders');

const CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'AUD'] as const;
// Repeats weight the draw: most orders are past `pending`.
const STATUSES = ['pending', 'paid', 'paid', 'shipped', 'shipped', 'delivered', 'delivered', 'delivered', 'cancelled'] as const;

export const ordersShape: Shape = {
  kind: 'orders',
  valueSchema: {
    type: 'struct',
    name: 'tributary.datagen.Order',
    fields: [
      { field: 'id', schema: { type: 'int64' } },
      { field: 'user_id', schema: { type: 'int64' } },
      // A decimal string, not Connect's bytes-encoded Decimal, so JSON consumers read it exactly.
      { field: 'amount', schema: { type: 'string', doc: 'decimal with 2 fractional digits, e.g. "42.50"', parameters: { scale: '2' } } },
      { field: 'currency', schema: { type: 'string', doc: 'ISO 4217 code' } },
      { field: 'status', schema: { type: 'string', doc: 'pending | paid | shipped | delivered | cancelled' } },
      { field: 'ts', schema: { type: 'int64', name: TIMESTAMP_LOGICAL, version: 1 } },
    ],
  },
  generate(id: number, config: Required<DatagenConfig>): Record<string, unknown> {
    const rng = recordRandom(config.seed, id, SALT);
    const cents = 100 + rng.nextInt(99_900); // 1.00 .. 999.99
    return {
      id,
      user_id: 1 + rng.nextInt(config.userIds),
      amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
      currency: rng.pick(CURRENCIES),
      status: rng.pick(STATUSES),
      ts: GENERATED_EPOCH_MS + id * MS_PER_ID + rng.nextInt(MS_PER_ID),
    };
  },
};
