import { plainAvroType } from '../avro-types.ts';
import { avroResolutionIssue } from './avro-compatibility.ts';
import { jsonSchemaIssue } from './json-schema-compatibility.ts';
import type { CompatibilityLevel, SchemaText } from './model.ts';

export interface VersionedSchema extends SchemaText {
  version: number;
}

/**
 * Confluent's compatibility levels, checked as its registry checks them on register:
 *
 * - BACKWARD: consumers using the new schema can read data written with the latest version
 *   (the new schema is the reader). The default: upgrade consumers first.
 * - FORWARD: consumers still on the latest version can read data written with the new schema.
 * - FULL: both. NONE: no check.
 * - *_TRANSITIVE: the same against every earlier version, not only the latest.
 *
 * `previous` holds the subject's live (not soft-deleted) versions, oldest first. Returns one
 * message per failed comparison, each naming the version and the field; empty means compatible.
 */
export function compatibilityIssues(level: CompatibilityLevel, candidate: SchemaText, previous: readonly VersionedSchema[]): string[] {
  if (level === 'NONE' || previous.length === 0) return [];
  const against = level.endsWith('_TRANSITIVE') ? [...previous].reverse() : previous.slice(-1);
  const backward = level.startsWith('BACKWARD') || level.startsWith('FULL');
  const forward = level.startsWith('FORWARD') || level.startsWith('FULL');
  const issues: string[] = [];
  for (const old of against) {
    const label = `version ${old.version}`;
    if (old.schemaType !== candidate.schemaType) {
      issues.push(`the new schema is ${candidate.schemaType} but ${label} is ${old.schemaType}`);
      continue;
    }
    if (backward) push(issues, issueBetween(candidate, old, { reader: 'the new schema', writer: label }));
    if (forward) push(issues, issueBetween(old, candidate, { reader: label, writer: 'the new schema' }));
  }
  return issues;
}

function issueBetween(reader: SchemaText, writer: SchemaText, labels: { reader: string; writer: string }): string | undefined {
  if (reader.schemaType === 'AVRO') return avroResolutionIssue(plainAvroType(JSON.parse(reader.schema)), plainAvroType(JSON.parse(writer.schema)), labels);
  return jsonSchemaIssue(JSON.parse(reader.schema), JSON.parse(writer.schema), labels);
}

function push(into: string[], issue: string | undefined): void {
  if (issue !== undefined) into.push(issue);
}
