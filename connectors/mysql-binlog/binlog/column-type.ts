/** Column type codes as they appear in TABLE_MAP events (`enum_field_types`). */
export const ColumnType = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  NULL: 6,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  VARCHAR: 15,
  BIT: 16,
  TIMESTAMP2: 17,
  DATETIME2: 18,
  TIME2: 19,
  TYPED_ARRAY: 20,
  VECTOR: 242,
  JSON: 245,
  NEWDECIMAL: 246,
  ENUM: 247,
  SET: 248,
  TINY_BLOB: 249,
  MEDIUM_BLOB: 250,
  LONG_BLOB: 251,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
  GEOMETRY: 255,
} as const;

export function columnTypeName(type: number): string {
  for (const [name, code] of Object.entries(ColumnType)) if (code === type) return name;
  return `TYPE_${type}`;
}

/** Types whose SIGNEDNESS bit is present in TABLE_MAP optional metadata (MySQL's `is_numeric_type`). */
export function isNumericType(type: number): boolean {
  switch (type) {
    case ColumnType.TINY:
    case ColumnType.SHORT:
    case ColumnType.INT24:
    case ColumnType.LONG:
    case ColumnType.LONGLONG:
    case ColumnType.NEWDECIMAL:
    case ColumnType.FLOAT:
    case ColumnType.DOUBLE:
      return true;
    default:
      return false;
  }
}

/** Types with a character set in optional metadata (`is_character_type`), judged on the real type. */
export function isCharacterType(type: number): boolean {
  switch (type) {
    case ColumnType.STRING:
    case ColumnType.VAR_STRING:
    case ColumnType.VARCHAR:
    case ColumnType.BLOB:
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB:
      return true;
    default:
      return false;
  }
}

export function isEnumOrSet(type: number): boolean {
  return type === ColumnType.ENUM || type === ColumnType.SET;
}
