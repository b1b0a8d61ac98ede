import type { DatagenConfig } from './config.ts';
import { hashString, recordRandom } from './prng.ts';
import { GENERATED_EPOCH_MS, MS_PER_ID, TIMESTAMP_LOGICAL, type Shape } from './shape.ts';

const SALT = hashString('users');

const FIRST_NAMES = ['Ada', 'Alan', 'Grace', 'Linus', 'Barbara', 'Ken', 'Margaret', 'Dennis', 'Frances', 'Edsger', 'Radia', 'Donald', 'Sophie', 'Tim', 'Hedy', 'John'] as const;
const LAST_NAMES = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Liskov', 'Thompson', 'Hamilton', 'Ritchie', 'Allen', 'Dijkstra', 'Perlman', 'Knuth', 'Wilson', 'Berners-Lee', 'Lamarr', 'Backus'] as const;
const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'JP', 'NG', 'CA', 'AU', 'ES', 'MX'] as const;

export const usersShape: Shape = {
  kind: 'users',
  valueSchema: {
    type: 'struct',
    name: 'tributary.datagen.User',
    fields: [
      { field: 'id', schema: { type: 'int64' } },
      { field: 'name', schema: { type: 'string' } },
      { field: 'email', schema: { type: 'string' } },
      { field: 'age', schema: { type: 'int32' } },
      { field: 'country', schema: { type: 'string', doc: 'ISO 3166-1 alpha-2 code' } },
      { field: 'created_at', schema: { type: 'int64', name: TIMESTAMP_LOGICAL, version: 1 } },
      { field: 'score', schema: { type: 'float64' } },
    ],
  },
  generate(id: number, config: Required<DatagenConfig>): Record<string, unknown> {
    const rng = recordRandom(config.seed, id, SALT);
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    return {
      id,
      name: `${first} ${last}`,
      // The id keeps emails unique even when names repeat.
      email: `${first}.${last}${id}@example.com`.toLowerCase(),
      age: 18 + rng.nextInt(72),
      country: rng.pick(COUNTRIES),
      created_at: GENERATED_EPOCH_MS + id * MS_PER_ID + rng.nextInt(MS_PER_ID),
      score: rng.nextInt(10_001) / 100,
    };
  },
};
