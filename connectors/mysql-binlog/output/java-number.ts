/**
 * Java's `Float.toString` / `Double.toString`, which Canal uses for FLOAT and DOUBLE values: the
 * shortest digits that identify the value, plain notation for 10^-3 <= |v| < 10^7 (always with a
 * fraction digit: `1.0`), otherwise `d.dddE±n`.
 */
export function javaDoubleString(v: number): string {
  return javaString(v, shortestDigits(v, false));
}

export function javaFloatString(v: number): string {
  return javaString(v, shortestDigits(v, true));
}

function shortestDigits(v: number, single: boolean): { digits: string; exponent: number } {
  const a = Math.abs(v);
  let text = a.toExponential();
  if (single) {
    for (let p = 1; p <= 9; p++) {
      const candidate = a.toExponential(p - 1);
      if (Math.fround(Number(candidate)) === a) {
        text = candidate;
        break;
      }
    }
  }
  const [mantissa = '0', exp = '0'] = text.split('e');
  return { digits: mantissa.replace('.', ''), exponent: Number(exp) };
}

function javaString(v: number, { digits, exponent }: { digits: string; exponent: number }): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  if (v === 0) return `${sign}0.0`;
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e7) {
    if (exponent >= 0) {
      const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      const frac = digits.slice(exponent + 1) || '0';
      return `${sign}${intPart}.${frac}`;
    }
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
}
