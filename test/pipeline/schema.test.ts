import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { PIPELINE_SCHEMA_ID, pipelineSchema } from '../../src/pipeline/schema.ts';
import type { ConfigSchema } from '../../src/sdk/index.ts';

/** Every property schema in the tree, with its path. */
function properties(schema: ConfigSchema, path = ''): Array<[string, ConfigSchema]> {
  const out: Array<[string, ConfigSchema]> = [];
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    out.push([`${path}.${name}`, child], ...properties(child, `${path}.${name}`));
  }
  if (schema.items !== undefined) out.push(...properties(schema.items, `${path}[]`));
  if (typeof schema.additionalProperties === 'object') out.push(...properties(schema.additionalProperties, `${path}.*`));
  return out;
}

/** Every object schema in the tree, with its path. */
function objects(schema: ConfigSchema, path = '(root)'): Array<[string, ConfigSchema]> {
  const own: Array<[string, ConfigSchema]> = schema.properties !== undefined ? [[path, schema]] : [];
  return [
    ...own,
    ...Object.entries(schema.properties ?? {}).flatMap(([n, c]) => objects(c, `${path}.${n}`)),
    ...(schema.items !== undefined ? objects(schema.items, `${path}[]`) : []),
  ];
}

describe('pipeline schema v1', () => {
  it('compiles under ajv strict mode as draft-07, with the secret annotation', () => {
    const ajv = new AjvModule.default({ strict: true, allowUnionTypes: true });
    ajv.addKeyword({ keyword: 'secret', schemaType: 'boolean' });
    expect(() => ajv.compile(pipelineSchema)).not.toThrow();
    expect(pipelineSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(pipelineSchema.$id).toBe(PIPELINE_SCHEMA_ID);
  });

  it('describes every property', () => {
    const undescribed = properties(pipelineSchema).filter(([, s]) => typeof s.description !== 'string' || s.description === '');
    expect(undescribed.map(([p]) => p)).toEqual([]);
  });

  it('closes every object the framework owns; only plugin-owned entries stay open', () => {
    const open = objects(pipelineSchema)
      .filter(([, s]) => s.additionalProperties !== false)
      .map(([p]) => p);
    expect(open).toEqual(['(root).transforms[]', '(root).transforms[].predicate', '(root).serializer', '(root).keySerializer', '(root).sinks[].transforms[]', '(root).sinks[].transforms[].predicate']);
  });

  it('marks the kafka credentials secret', () => {
    const kafka = pipelineSchema.properties?.kafka?.properties;
    expect(kafka?.sasl?.properties?.password?.secret).toBe(true);
    expect(kafka?.ssl?.properties?.key?.secret).toBe(true);
  });
});
