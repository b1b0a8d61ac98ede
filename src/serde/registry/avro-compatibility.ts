import avro from 'avsc';
import type { Type } from 'avsc';

/**
 * Can data written with `writer` be read with `reader`? Avro's schema resolution decides, as avsc's
 * `createResolver` implements it; the rules are Avro's (and so Java's SchemaCompatibility, which
 * Confluent's registry uses): a reader field missing from the writer needs a default, a writer field
 * missing from the reader is skipped, int → long → float → double and string ↔ bytes promote, every
 * branch of a writer union must be readable, named types match by full name or a reader alias, enum
 * symbols the reader lacks need a reader default.
 *
 * Returns one message naming the first field that breaks resolution, or nothing when it holds. The
 * types must be built without logical types (see plainAvroType), since resolution ignores them.
 */
export function avroResolutionIssue(reader: Type, writer: Type, labels: { reader: string; writer: string }): string | undefined {
  try {
    reader.createResolver(writer);
    return undefined;
  } catch (err) {
    const why = explain(reader, writer, '', labels.writer) ?? (err as Error).message;
    return `${labels.reader} cannot read data written with ${labels.writer}: ${why}`;
  }
}

function resolves(reader: Type, writer: Type): boolean {
  try {
    reader.createResolver(writer);
    return true;
  } catch {
    return false;
  }
}

/** Walks both schemas to the innermost place that fails, and says what is wrong there. */
function explain(reader: Type, writer: Type, path: string, writerLabel: string): string | undefined {
  const where = path === '' ? 'the top-level type' : `field "${path}"`;
  if (isUnion(writer)) {
    for (const branch of writer.types) if (!resolves(reader, branch)) return explain(reader, branch, path, writerLabel);
    return undefined;
  }
  if (isUnion(reader)) {
    return `${where}: ${describe(writer)} in ${writerLabel} matches no branch of ${describe(reader)}`;
  }
  if (isRecord(reader) && isRecord(writer)) {
    if (!nameMatches(reader, writer)) return `${where}: record ${writer.name} in ${writerLabel} has another name than ${reader.name} (and no matching alias)`;
    const byName = new Map(writer.fields.map((f) => [f.name, f]));
    for (const field of reader.fields) {
      const fieldPath = path === '' ? field.name : `${path}.${field.name}`;
      const match = [field.name, ...(field.aliases ?? [])].map((n) => byName.get(n)).find((f) => f !== undefined);
      if (match === undefined) {
        if (field.defaultValue() === undefined) return `field "${fieldPath}" has no default value and ${writerLabel} has no such field`;
        continue;
      }
      if (!resolves(field.type, match.type)) return explain(field.type, match.type, fieldPath, writerLabel);
    }
    return undefined;
  }
  if (reader.typeName === 'array' && writer.typeName === 'array') {
    return explain((reader as avro.types.ArrayType).itemsType, (writer as avro.types.ArrayType).itemsType, `${path}[]`, writerLabel);
  }
  if (reader.typeName === 'map' && writer.typeName === 'map') {
    return explain((reader as avro.types.MapType).valuesType as Type, (writer as avro.types.MapType).valuesType as Type, `${path}{}`, writerLabel);
  }
  if (reader.typeName === 'enum' && writer.typeName === 'enum') {
    const known = new Set((reader as avro.types.EnumType).symbols);
    const missing = (writer as avro.types.EnumType).symbols.filter((s) => !known.has(s));
    if (missing.length > 0) return `${where}: enum symbols ${missing.join(', ')} of ${writerLabel} are unknown to ${reader.name} and it has no default symbol`;
    return `${where}: enum ${writer.name} in ${writerLabel} has another name than ${reader.name}`;
  }
  if (reader.typeName === 'fixed' && writer.typeName === 'fixed') {
    return `${where}: fixed ${writer.name} (${(writer as avro.types.FixedType).size} bytes) in ${writerLabel} cannot be read as ${reader.name} (${(reader as avro.types.FixedType).size} bytes)`;
  }
  return `${where}: ${describe(writer)} in ${writerLabel} cannot be read as ${describe(reader)}`;
}

function isUnion(type: Type): type is avro.types.UnwrappedUnionType {
  return avro.Type.isType(type, 'union');
}

function isRecord(type: Type): type is avro.types.RecordType {
  return avro.Type.isType(type, 'record', 'error');
}

function nameMatches(reader: Type, writer: Type): boolean {
  return writer.name === undefined || reader.name === writer.name || (reader.aliases ?? []).includes(writer.name);
}

function describe(type: Type): string {
  if (isUnion(type)) return `union [${type.types.map(describe).join(', ')}]`;
  return type.name === undefined ? type.typeName : `${type.typeName} ${type.name}`;
}
