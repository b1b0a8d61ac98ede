/**
 * Can every document valid under `writer` be read by a consumer expecting `reader`? A conservative
 * subset of Confluent's JSON Schema rules, enough for schemas the json-schema serde derives and for
 * hand-written object schemas:
 *
 * - a type the writer allows must be allowed by the reader (`integer` fits a reader's `number`;
 *   nullability is a type, so making a property non-nullable is caught);
 * - a property the reader requires must be required by the writer too;
 * - a property the writer declares must be allowed by the reader: declared there, or the reader's
 *   object is open (`additionalProperties` not false);
 * - properties both declare, and array items, are checked the same way.
 *
 * Keywords beyond type/properties/required/additionalProperties/items/oneOf/anyOf (patterns,
 * ranges, enums, $ref) are not compared: a change in them is accepted. Returns the first issue,
 * naming the property, or nothing.
 */
export function jsonSchemaIssue(reader: unknown, writer: unknown, labels: { reader: string; writer: string }): string | undefined {
  const why = check(asNode(reader), asNode(writer), '', labels);
  return why === undefined ? undefined : `${labels.reader} cannot read data written with ${labels.writer}: ${why}`;
}

type Node = Record<string, unknown>;

function asNode(value: unknown): Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Node) : {};
}

function check(reader: Node, writer: Node, path: string, labels: { reader: string; writer: string }): string | undefined {
  const where = path === '' ? 'the document' : `property "${path}"`;
  const readerTypes = types(reader);
  const writerTypes = types(writer);
  if (readerTypes !== undefined) {
    const writerAllows = writerTypes ?? new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);
    for (const t of writerAllows) {
      if (!readerTypes.has(t) && !(t === 'integer' && readerTypes.has('number'))) {
        return `${where}: ${labels.writer} allows ${t}, which ${labels.reader} does not (${[...readerTypes].join(', ')})`;
      }
    }
  }
  const readerObject = branch(reader, 'object');
  const writerObject = branch(writer, 'object');
  if (readerObject !== undefined && writerObject !== undefined) {
    const writerRequired = new Set(strings(writerObject.required));
    for (const name of strings(readerObject.required)) {
      if (!writerRequired.has(name)) return `property "${join(path, name)}" is required by ${labels.reader} but not by ${labels.writer}`;
    }
    const readerProperties = asNode(readerObject.properties);
    const writerProperties = asNode(writerObject.properties);
    for (const [name, writerProperty] of Object.entries(writerProperties)) {
      if (!Object.hasOwn(readerProperties, name)) {
        if (readerObject.additionalProperties === false) return `property "${join(path, name)}" of ${labels.writer} is not allowed by ${labels.reader} (additionalProperties: false)`;
        continue;
      }
      const issue = check(asNode(readerProperties[name]), asNode(writerProperty), join(path, name), labels);
      if (issue !== undefined) return issue;
    }
  }
  const readerArray = branch(reader, 'array');
  const writerArray = branch(writer, 'array');
  if (readerArray !== undefined && writerArray !== undefined && readerArray.items !== undefined && writerArray.items !== undefined) {
    return check(asNode(readerArray.items), asNode(writerArray.items), `${path}[]`, labels);
  }
  return undefined;
}

/** The JSON types a schema node allows, from `type` or the branches of `oneOf`/`anyOf`; undefined: any. */
function types(node: Node): Set<string> | undefined {
  if (typeof node.type === 'string') return new Set([node.type]);
  if (Array.isArray(node.type)) return new Set(strings(node.type));
  const branches = Array.isArray(node.oneOf) ? node.oneOf : Array.isArray(node.anyOf) ? node.anyOf : undefined;
  if (branches === undefined) return undefined;
  const out = new Set<string>();
  for (const b of branches) {
    const t = types(asNode(b));
    if (t === undefined) return undefined;
    for (const x of t) out.add(x);
  }
  return out;
}

/** The node itself, or the `oneOf`/`anyOf` branch, that describes values of JSON type `kind`. */
function branch(node: Node, kind: string): Node | undefined {
  const own = types(node);
  if (own !== undefined && own.size === 1 && own.has(kind) && node.oneOf === undefined && node.anyOf === undefined) return node;
  if (node.type === undefined && node.oneOf === undefined && node.anyOf === undefined && (kind === 'object' ? node.properties !== undefined : node.items !== undefined)) return node;
  if (Array.isArray(node.type) && strings(node.type).includes(kind)) return node;
  const branches = Array.isArray(node.oneOf) ? node.oneOf : Array.isArray(node.anyOf) ? node.anyOf : [];
  for (const b of branches) {
    const found = branch(asNode(b), kind);
    if (found !== undefined) return found;
  }
  return undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}
