import type { SerdePlugin } from '../sdk/serde.ts';
import { avroSerde } from './avro.ts';
import { bytesSerde } from './bytes.ts';
import { jsonSchemaSerde } from './json-schema.ts';
import { jsonSerde } from './json.ts';
import { stringSerde } from './string.ts';

export { avroSerde, bytesSerde, jsonSchemaSerde, jsonSerde, stringSerde };

/** Built-in data formats, for src/builtins.ts to register. */
export const builtinSerdes: SerdePlugin[] = [jsonSerde, stringSerde, bytesSerde, avroSerde, jsonSchemaSerde];
