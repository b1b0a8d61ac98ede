import { lineDiff } from './line-diff.ts';
import { pretty, show } from './match.ts';
import type { CaseResult, Failure, FileResult, Output } from './runner.ts';

/**
 * Text for `tributary test`: one line per passing case, and for a failing one every difference at
 * its path, then a line diff of the whole expected and produced part (equality checks) or the
 * produced part (inclusion checks), so the reader sees both the detail and the context.
 */
export function formatFileResult(r: FileResult): string {
  const lines: string[] = [];
  if (r.error !== undefined) {
    lines.push(`FAIL ${r.file} (${r.pipeline})`, ...indent(r.error.split('\n'), 2));
    return lines.join('\n');
  }
  const failed = r.cases.filter((c) => c.failures.length > 0).length;
  lines.push(`${failed === 0 ? 'ok  ' : 'FAIL'} ${r.file}`);
  for (const c of r.cases) {
    if (c.failures.length === 0) lines.push(`  ✓ ${c.name}`);
    else lines.push(`  ✗ ${c.name}`, ...indent(caseDetail(c), 4));
  }
  return lines.join('\n');
}

function caseDetail(c: CaseResult): string[] {
  const out: string[] = [];
  for (const f of c.failures) out.push(...failureDetail(f, c.outputs));
  return out;
}

function failureDetail(f: Failure, outputs: Output[]): string[] {
  if (f.kind === 'count') {
    return [`expected ${f.expected} output record${f.expected === 1 ? '' : 's'}, got ${f.actual}:`, ...indent(outputs.map((o, i) => `output[${i}]: ${describe(o)}`), 2)];
  }
  const out = f.mismatches.map((m) => `${m.path}: ${m.note === undefined ? '' : `${m.note}: `}expected ${show(m.expected)}, got ${show(m.actual)}`);
  if (!isStructured(f.expected) && !isStructured(f.actual)) return out;
  if (f.partial) out.push(`output[${f.index}].${f.field} as produced:`, ...indent(pretty(f.actual).split('\n'), 2));
  else out.push(`output[${f.index}].${f.field} (- expected, + produced):`, ...indent(lineDiff(pretty(f.expected), pretty(f.actual)), 2));
  return out;
}

function describe(o: Output): string {
  if (o.kind === 'error') return `${o.code} at ${o.stage}: ${o.message}`;
  return show({ topic: o.topic, key: o.key, value: o.value });
}

function isStructured(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}

function indent(lines: string[], n: number): string[] {
  const pad = ' '.repeat(n);
  return lines.map((l) => pad + l);
}

export function summary(results: FileResult[]): { passed: number; failed: number; text: string } {
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    if (r.error !== undefined) failed++;
    for (const c of r.cases) {
      if (c.failures.length === 0) passed++;
      else failed++;
    }
  }
  const files = `${results.length} file${results.length === 1 ? '' : 's'}`;
  return { passed, failed, text: `${passed} passed, ${failed} failed (${files})` };
}
