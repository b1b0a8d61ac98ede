import type { TransformPlugin } from '../sdk/transform.ts';
import { isFieldObject } from './record-part.ts';
import { ParseError, ParserTransform, parserConfigProperties, type ParserOptions } from './parser-transform.ts';

/**
 * Parses JSON text (a log line, a string field) into fields. Without `into` the text must hold an
 * object; with `into` any JSON value is accepted. Integers beyond 2^53 are rejected as a parse error
 * rather than silently rounded (JSON.parse would round them); set `into` and keep `original` to
 * carry such lines on untouched.
 */
export type ParseJsonConfig = ParserOptions;

const NAME = 'parse-json';

export const parseJson: TransformPlugin<ParseJsonConfig> = {
  spec: {
    name: NAME,
    kind: 'transform',
    summary: 'Parse JSON text in the value (or one of its fields) into fields; on failure keep the record and name the error in a header, or fail it.',
    version: '1.0.0',
    config: { type: 'object', additionalProperties: false, properties: parserConfigProperties({ timestamp: false }) },
  },
  create(ctx) {
    const config = ctx.config;
    return new ParserTransform(
      NAME,
      (text) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (err) {
          throw new ParseError(`not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
        }
        checkIntegers(parsed, text);
        return { fields: parsed };
      },
      config,
    );
  },
};

/** An integer literal too large for a double would come back rounded; refuse it instead. */
function checkIntegers(value: unknown, text: string): void {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value) && /(?:^|[^\d.eE])-?\d{16,}(?![\d.eE])/.test(text)) {
      throw new ParseError(`an integer in the JSON is beyond 2^53 and would lose digits`);
    }
    return;
  }
  if (Array.isArray(value)) for (const v of value) checkIntegers(v, text);
  else if (isFieldObject(value)) for (const v of Object.values(value)) checkIntegers(v, text);
}
