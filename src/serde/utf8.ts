/**
 * Strict UTF-8. `Buffer.toString('utf8')` replaces invalid sequences with U+FFFD and
 * `Buffer.from(string)` replaces lone surrogates the same way, both changing data without a trace;
 * a record with such content should instead fail (de)serialization and reach the dead-letter topic
 * intact.
 */

// ignoreBOM keeps a leading U+FEFF in the text, so decoding is exact; callers that want it gone
// (JSON) drop it themselves. decode() without `stream` keeps no state between calls.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Throws a TypeError for bytes that are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Throws for text UTF-8 cannot represent (a lone surrogate). */
export function encodeUtf8(text: string): Buffer {
  if (LONE_SURROGATE.test(text)) throw new Error('text contains a lone UTF-16 surrogate, which UTF-8 cannot encode');
  return Buffer.from(text, 'utf8');
}
