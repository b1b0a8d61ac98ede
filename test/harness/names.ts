import { randomUUID } from 'node:crypto';

/**
 * A topic, group or database name no other test (or earlier run against the same cluster) has used.
 * Tests make their own names so they can run against a shared, long-lived cluster (KAFKA_BROKERS)
 * without seeing each other's records or committed offsets.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}
