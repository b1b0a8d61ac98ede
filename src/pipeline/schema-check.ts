import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import { closestName, errorMessage, TributaryError, type ConfigSchema } from '../sdk/index.ts';
import { DURATION_PATTERN, PATTERN_MESSAGES, pipelineSchema } from './schema.ts';
import { fromPointer } from './source-map.ts';

// ajv is CommonJS; under NodeNext its class is the `default` property of the imported module.
const Ajv = AjvModule.default;

/** One schema violation, relative to the data that was checked. */
export interface SchemaIssue {
  /** JSON pointer of the offending node inside the checked data. */
  pointer: string;
  /** `key` when the problem is the key itself (an unknown field); `value` otherwise. */
  at: 'key' | 'value';
  message: string;
}

/**
 * Compiles and runs the pipeline schema and plugin config schemas. One checker per load: compiled
 * plugin validators are cached by schema object, so a plugin used twice in a file compiles once.
 */
export class SchemaChecker {
  // Strict for the pipeline schema, which this project owns: a typo in it is a bug to fail on.
  private readonly strict = createAjv(true);
  // Lenient for plugin schemas: third-party plugins may carry annotation keywords ajv does not know.
  private readonly lenient = createAjv(false);
  private pipelineValidator: ValidateFunction | undefined;
  private readonly pluginValidators = new WeakMap<ConfigSchema, ValidateFunction>();

  pipeline(): ValidateFunction {
    this.pipelineValidator ??= this.strict.compile(pipelineSchema);
    return this.pipelineValidator;
  }

  /**
   * The validator for a plugin's `config` schema, with the SDK's rule applied: an object whose
   * top level admits no undeclared keys unless the schema says otherwise.
   * Throws PLUGIN_INVALID when the schema itself does not compile.
   */
  plugin(schema: ConfigSchema): ValidateFunction {
    let validate = this.pluginValidators.get(schema);
    if (validate === undefined) {
      try {
        validate = this.lenient.compile({ ...schema, type: 'object', additionalProperties: schema.additionalProperties ?? false });
      } catch (err) {
        throw new TributaryError('PLUGIN_INVALID', `compiling config schema: ${errorMessage(err)}`, { cause: err });
      }
      this.pluginValidators.set(schema, validate);
    }
    return validate;
  }
}

function createAjv(strict: boolean): InstanceType<typeof Ajv> {
  const ajv = new Ajv({
    allErrors: true,
    useDefaults: true,
    // `verbose` gives errors their schema and parent schema, which the messages below need
    // (allowed values, property names for did-you-mean, secret markers). Messages never use `data`.
    verbose: true,
    strict,
    allowUnionTypes: true,
    // Unknown `format`s in plugin schemas are skipped rather than logged to the console.
    logger: false,
  });
  // Tributary's annotation for credentials (see ConfigSchema.secret); it constrains nothing.
  ajv.addKeyword({ keyword: 'secret', schemaType: 'boolean' });
  return ajv;
}

/** What `check` needs to know about where the data came from; pointers are relative to the data. */
export interface DataOrigin {
  /**
   * The string at `pointer` came whole from one `${env:...}` reference. Such a string is converted
   * in place to the integer, number or boolean the schema asks for when it reads as one, because
   * environment variables can only carry text.
   */
  coercible(pointer: string): boolean;
  /** The node at `pointer` was written in the file (rather than filled in as a default). */
  written(pointer: string): boolean;
  /**
   * Field names valid in the object at `pointer` that its schema does not list: the framework's keys
   * sharing a flat entry with a plugin's config (`predicate` next to a transform's own fields).
   * They only feed did-you-mean hints.
   */
  extraFields?(pointer: string): readonly string[];
}

/** Validates `data` (applying schema defaults in place) and returns its issues with readable messages. */
export function check(validate: ValidateFunction, data: unknown, origin: DataOrigin): SchemaIssue[] {
  let errors = run(validate, data);
  let coerced = false;
  for (const err of errors) {
    if (err.keyword !== 'type' || !origin.coercible(err.instancePath)) continue;
    if (coerceAt(data, err.instancePath, typesOf(err.params.type))) coerced = true;
  }
  if (coerced) errors = run(validate, data);
  return describeAll(errors, origin);
}

function run(validate: ValidateFunction, data: unknown): ErrorObject[] {
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

function typesOf(t: unknown): string[] {
  if (Array.isArray(t)) return t.map(String);
  return String(t).split(',');
}

function coerceAt(root: unknown, pointer: string, types: string[]): boolean {
  const segments = fromPointer(pointer, root);
  const last = segments.pop();
  if (last === undefined) return false;
  let parent: unknown = root;
  for (const s of segments) parent = (parent as Record<string | number, unknown>)[s];
  const container = parent as Record<string | number, unknown>;
  const text = container[last];
  if (typeof text !== 'string') return false;
  const t = text.trim();
  for (const type of types) {
    if (type === 'integer' && /^-?[0-9]+$/.test(t)) container[last] = Number(t);
    else if (type === 'number' && t !== '' && Number.isFinite(Number(t))) container[last] = Number(t);
    else if (type === 'boolean' && (t === 'true' || t === 'false')) container[last] = t === 'true';
    else continue;
    return true;
  }
  return false;
}

/**
 * Turns ajv's errors into one issue per real problem: alternatives (`anyOf`/`oneOf`) become one
 * message instead of one per branch, `if` wrappers are dropped (their inner errors say what is
 * wrong), and a node of the wrong type reports only that.
 */
function describeAll(errors: ErrorObject[], origin: DataOrigin): SchemaIssue[] {
  const branchGroups = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const insideBranch = (e: ErrorObject): boolean => branchGroups.some((g) => g !== e && e.schemaPath.startsWith(`${g.schemaPath}/`));
  const kept = errors.filter((e) => e.keyword !== 'if' && !insideBranch(e));
  const wrongType = new Set(kept.filter((e) => e.keyword === 'type').map((e) => e.instancePath));

  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const e of kept) {
    if (e.keyword !== 'type' && wrongType.has(e.instancePath)) continue;
    const issue = describe(e, errors, origin);
    const id = `${issue.at}\0${issue.pointer}\0${issue.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push(issue);
  }
  return issues;
}

const NOUN: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function either(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function escapePointer(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

function describe(e: ErrorObject, all: readonly ErrorObject[], origin: DataOrigin): SchemaIssue {
  const parent = (e.parentSchema ?? {}) as ConfigSchema;
  const isDuration = parent.pattern === DURATION_PATTERN;
  const value = (message: string): SchemaIssue => ({ pointer: e.instancePath, at: 'value', message });
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String(p.additionalProperty);
      // Suggest only fields the user has not written already; defaults filled in do not count.
      const candidates = [...Object.keys(parent.properties ?? {}), ...(origin.extraFields?.(e.instancePath) ?? [])].filter(
        (k) => !origin.written(`${e.instancePath}/${escapePointer(k)}`),
      );
      const hint = closestName(name, candidates);
      return { pointer: `${e.instancePath}/${escapePointer(name)}`, at: 'key', message: `field "${name}" not recognised${hint === undefined ? '' : ` (did you mean "${hint}"?)`}` };
    }
    case 'required':
      return value(`missing required field "${String(p.missingProperty)}"`);
    case 'type':
      if (isDuration) return value(PATTERN_MESSAGES[DURATION_PATTERN] ?? 'must be a duration');
      return value(`must be ${either(typesOf(p.type).map((t) => NOUN[t] ?? t))}`);
    case 'enum':
      // A secret's allowed values are not secret, but listing them next to a credential invites pasting.
      if (parent.secret === true) return value('is not one of the allowed values');
      return value(`must be one of: ${(p.allowedValues as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}`);
    case 'const':
      return value(parent.secret === true ? 'is not the allowed value' : `must be ${JSON.stringify(p.allowedValue)}`);
    case 'pattern':
      return value(PATTERN_MESSAGES[String(p.pattern)] ?? `must match the pattern ${String(p.pattern)}`);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      if (isDuration) return value(PATTERN_MESSAGES[DURATION_PATTERN] ?? 'must be a duration');
      return value(`must be ${String(p.comparison)} ${String(p.limit)}`);
    case 'minLength':
      return value(p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`);
    case 'maxLength':
      return value(`must be at most ${String(p.limit)} characters long`);
    case 'minItems':
      return value(p.limit === 1 ? 'must not be empty' : `must have at least ${String(p.limit)} items`);
    case 'maxItems':
      return value(`must have at most ${String(p.limit)} items`);
    case 'minProperties':
      return value(`must have at least ${String(p.limit)} fields`);
    case 'maxProperties':
      return value(`must have at most ${String(p.limit)} fields`);
    case 'uniqueItems':
      return value(`must not repeat items (items ${String(p.j)} and ${String(p.i)} are equal)`);
    case 'multipleOf':
      return value(`must be a multiple of ${String(p.multipleOf)}`);
    case 'format':
      return value(`must be a valid ${String(p.format)}`);
    case 'not': {
      const excluded = e.schema as ConfigSchema;
      return value('const' in excluded && parent.secret !== true ? `must not be ${JSON.stringify(excluded.const)}` : 'is not allowed here');
    }
    case 'anyOf':
    case 'oneOf': {
      if (e.keyword === 'oneOf' && Array.isArray(p.passingSchemas)) return value('matches more than one of the allowed forms');
      // When every alternative failed only on its type, name the types: "must be a string or an integer".
      const branches = (e.schema as ConfigSchema[]).map((_, i) => all.filter((x) => x.instancePath === e.instancePath && x.schemaPath.startsWith(`${e.schemaPath}/${i}/`)));
      const types = branches.map((b) => (b.length === 1 && b[0]?.keyword === 'type' ? typesOf(b[0].params.type) : undefined));
      if (types.every((t) => t !== undefined)) return value(`must be ${either([...new Set(types.flat())].map((t) => NOUN[t] ?? t))}`);
      return value('does not match any of the allowed forms');
    }
    default:
      // ajv's own messages describe the schema, never the data, so they are safe to show as is.
      return value(e.message ?? `fails "${e.keyword}"`);
  }
}
