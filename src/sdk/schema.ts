/**
 * A structural schema for record keys and values, shaped like Kafka Connect's `Schema` so the JSON
 * envelope converter (schemas.enable=true) and Avro can both be derived from it. Sources that know
 * their types (a binlog table map, an .avsc file) attach one; schemaless records carry none.
 */
export type SchemaType =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'boolean'
  | 'string'
  | 'bytes'
  | 'array'
  | 'map'
  | 'struct';

export interface Schema {
  type: SchemaType;
  optional?: boolean;
  /** Logical type name, e.g. `org.apache.kafka.connect.data.Decimal` or a struct's record name. */
  name?: string;
  version?: number;
  doc?: string;
  default?: unknown;
  parameters?: Record<string, string>;
  /** struct only, in declaration order. */
  fields?: SchemaField[];
  /** array only. */
  items?: Schema;
  /** map only. */
  keys?: Schema;
  values?: Schema;
}

export interface SchemaField {
  field: string;
  schema: Schema;
}
