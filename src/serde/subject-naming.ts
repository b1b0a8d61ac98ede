/**
 * Which registry subject a record's schema is registered under, as Confluent's serializers decide it
 * (`key.subject.name.strategy` / `value.subject.name.strategy`):
 *
 * - `topic` (TopicNameStrategy, the default): `<topic>-key` / `<topic>-value`. One schema lineage per
 *   topic: compatibility is checked across everything written to the topic.
 * - `record` (RecordNameStrategy): the record's fully qualified name. Several record types may share a
 *   topic; each type evolves on its own, wherever it is written.
 * - `topic-record` (TopicRecordNameStrategy): `<topic>-<record name>`.
 *
 * The record name is the Avro record's full name, or a JSON Schema's `title`.
 */
export const SUBJECT_NAME_STRATEGIES = ['topic', 'record', 'topic-record'] as const;
export type SubjectNameStrategy = (typeof SUBJECT_NAME_STRATEGIES)[number];

/** Throws a plain Error when the strategy needs a record name and the schema has none (a primitive). */
export function subjectName(strategy: SubjectNameStrategy, topic: string, isKey: boolean, recordName: string | undefined): string {
  if (strategy === 'topic') return `${topic}-${isKey ? 'key' : 'value'}`;
  if (recordName === undefined || recordName === '') {
    throw new Error(`subject name strategy "${strategy}" needs a named record schema (an Avro record, or a JSON Schema with a title); this schema has no name`);
  }
  return strategy === 'record' ? recordName : `${topic}-${recordName}`;
}
