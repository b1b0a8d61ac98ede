import { Buffer } from 'node:buffer';
import { TributaryError } from '../../src/sdk/index.ts';

/** PostgreSQL truncates longer identifiers (NAMEDATALEN - 1 bytes), which would silently merge names. */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * Why `name` cannot be a PostgreSQL identifier, or undefined when it can. Every identifier the sink
 * writes into SQL is quoted, so any other character is fine: the case is kept and nothing is escaped
 * away.
 */
export function identifierProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.includes('\u0000')) return 'contains a NUL character';
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) return `is longer than ${MAX_IDENTIFIER_BYTES} bytes (PostgreSQL would truncate it)`;
  return undefined;
}

/** `"name"` with embedded quotes doubled. Invariant: the only way an identifier reaches SQL text. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."table"`. */
export function qualified(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}

const TOPIC_PLACEHOLDER = '${topic}';

/**
 * The table a topic's records go to: the template with `${topic}` replaced by the topic name, each
 * character outside [A-Za-z0-9_] turned into `_` (so `shop.orders` lands in `shop_orders`, a name
 * usable unquoted in psql). Throws CONFIG_INVALID when the result is not a usable identifier.
 */
export function tableForTopic(template: string, topic: string): string {
  const table = template.replaceAll(TOPIC_PLACEHOLDER, topic.replace(/[^A-Za-z0-9_]/g, '_'));
  const problem = identifierProblem(table);
  if (problem !== undefined) {
    throw new TributaryError('CONFIG_INVALID', `resolving table for topic "${topic}": table name "${table}" ${problem}; change the sink's \`table\``);
  }
  return table;
}
