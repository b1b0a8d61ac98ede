/**
 * Confluent's wire format for registry-backed serdes (Avro, JSON Schema):
 *
 *   byte 0      magic byte, always 0
 *   bytes 1-4   schema id, big-endian signed int32 (ids are positive)
 *   bytes 5..   the payload: Avro binary, or UTF-8 JSON text
 *
 * Every Confluent serializer and deserializer (Java, librdkafka, @kafkajs/confluent-schema-registry)
 * writes and expects exactly this framing, so it is what lets their consumers read our topics.
 */
export const MAGIC_BYTE = 0;
export const HEADER_SIZE = 5;

/** Frames an already encoded payload. */
export function frame(schemaId: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE + payload.length);
  out[0] = MAGIC_BYTE;
  out.writeInt32BE(schemaId, 1);
  out.set(payload, HEADER_SIZE);
  return out;
}

export interface Framed {
  schemaId: number;
  /** A view into the framed bytes, not a copy. */
  payload: Buffer;
}

/** Throws a plain Error (the serde adds its error code) when the bytes are not in the wire format. */
export function unframe(bytes: Buffer): Framed {
  if (bytes.length < HEADER_SIZE) throw new Error(`${bytes.length} bytes is too short for the schema registry wire format (magic byte + 4-byte schema id)`);
  if (bytes[0] !== MAGIC_BYTE) throw new Error(`unknown magic byte ${bytes[0]} (the schema registry wire format starts with 0); the record was not written by a registry-aware serializer`);
  return { schemaId: bytes.readInt32BE(1), payload: bytes.subarray(HEADER_SIZE) };
}
