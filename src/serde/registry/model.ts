/**
 * The schema registry's vocabulary, as the Confluent REST API spells it, shared by the client, the
 * embedded registry and the compatibility checker.
 */
export const SCHEMA_TYPES = ['AVRO', 'JSON'] as const;
export type SchemaType = (typeof SCHEMA_TYPES)[number];

export const COMPATIBILITY_LEVELS = ['BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE', 'NONE'] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

/** Confluent's default, and the embedded registry's. */
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

export function isCompatibilityLevel(value: unknown): value is CompatibilityLevel {
  return typeof value === 'string' && (COMPATIBILITY_LEVELS as readonly string[]).includes(value);
}

export function isSchemaType(value: unknown): value is SchemaType {
  return typeof value === 'string' && (SCHEMA_TYPES as readonly string[]).includes(value);
}

/** A schema as the registry holds it. `schema` is the JSON text; an absent type means AVRO. */
export interface SchemaText {
  schema: string;
  schemaType: SchemaType;
}

/** A subject's version, as `GET /subjects/{s}/versions/{v}` returns it. */
export interface SubjectVersion extends SchemaText {
  subject: string;
  version: number;
  id: number;
}

/**
 * The Confluent error codes clients act on (`error_code` in error bodies). The HTTP status is the
 * first three digits.
 */
export const RegistryErrorCodes = {
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_NOT_FOUND: 40403,
  SUBJECT_SOFT_DELETED: 40404,
  SUBJECT_NOT_SOFT_DELETED: 40405,
  VERSION_SOFT_DELETED: 40406,
  VERSION_NOT_SOFT_DELETED: 40407,
  SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED: 40408,
  INCOMPATIBLE_SCHEMA: 409,
  INVALID_SCHEMA: 42201,
  INVALID_VERSION: 42202,
  INVALID_COMPATIBILITY_LEVEL: 42203,
  STORE_ERROR: 50001,
  OPERATION_TIMEOUT: 50002,
} as const;

/** An error answer of a registry: `status` is the HTTP status, `errorCode` Confluent's code. */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }

  static of(errorCode: number, message: string): RegistryError {
    return new RegistryError(Number(String(errorCode).slice(0, 3)), errorCode, message);
  }
}

/** Whitespace-insensitive identity of a schema text, as the registry compares them. */
export function normalizeSchemaText(text: string): string {
  return JSON.stringify(JSON.parse(text));
}
