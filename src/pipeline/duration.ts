import { TributaryError } from '../sdk/index.ts';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

const DURATION = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)?$/;

/**
 * Milliseconds for a duration as the pipeline schema accepts it: `500ms`, `30s`, `5m`, `1.5h`, a
 * number of milliseconds, or a string of digits (milliseconds; what an `${env:...}` reference
 * yields). Fractions of a millisecond round to the nearest one.
 */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new TributaryError('CONFIG_INVALID', `parsing duration: ${value} is not a non-negative number of milliseconds`);
    return Math.round(value);
  }
  const m = DURATION.exec(value.trim());
  if (m === null) throw new TributaryError('CONFIG_INVALID', `parsing duration: "${value}" is not like "500ms", "30s", "5m" or "1h"`);
  const unit = (m[2] ?? 'ms') as keyof typeof UNIT_MS;
  return Math.round(Number(m[1]) * UNIT_MS[unit]);
}
