import type { ConfigSchema } from '../../sdk/spec.ts';
import { closestName } from '../../sdk/registry.ts';
import { ExitCode, type CommandIo } from '../io.ts';

/** `tributary plugins [name]`: the catalogue, or one plugin's config spec. Never prints secret values (specs hold none). */
export function pluginsCommand(args: string[], io: Pick<CommandIo, 'stdout' | 'stderr' | 'registry'>): number {
  const all = io.registry.list().sort((a, b) => a.spec.kind.localeCompare(b.spec.kind) || a.spec.name.localeCompare(b.spec.name));
  const name = args[0];
  if (name === undefined) {
    const width = Math.max(...all.map((p) => p.spec.name.length), 4);
    io.stdout.write(`${'KIND'.padEnd(10)} ${'NAME'.padEnd(width)} VERSION  SUMMARY\n`);
    for (const p of all) io.stdout.write(`${p.spec.kind.padEnd(10)} ${p.spec.name.padEnd(width)} ${p.spec.version.padEnd(8)} ${p.spec.summary}\n`);
    return ExitCode.ok;
  }
  const matches = all.filter((p) => p.spec.name === name);
  if (matches.length === 0) {
    const hint = closestName(name, all.map((p) => p.spec.name));
    io.stderr.write(`no plugin named "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; run \`tributary plugins\` for the list\n`);
    return ExitCode.failed;
  }
  for (const p of matches) {
    io.stdout.write(`${p.spec.name} (${p.spec.kind}, ${p.spec.version})\n  ${p.spec.summary}\n`);
    if (p.spec.delivery) io.stdout.write(`  delivery: ${p.spec.delivery}\n`);
    io.stdout.write('\n  config:\n');
    const lines = describeFields(p.spec.config, '');
    if (lines.length === 0) io.stdout.write('    (no options)\n');
    for (const line of lines) io.stdout.write(`    ${line}\n`);
    io.stdout.write('\n');
  }
  return ExitCode.ok;
}

function describeFields(schema: ConfigSchema, prefix: string): string[] {
  const out: string[] = [];
  const required = new Set(schema.required ?? []);
  for (const [field, prop] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${field}`;
    const type = Array.isArray(prop.type) ? prop.type.join('|') : (prop.type ?? (prop.enum ? 'enum' : 'any'));
    const facts = [type];
    if (prop.enum) facts.push(`one of ${prop.enum.map((v) => JSON.stringify(v)).join(', ')}`);
    if (required.has(field)) facts.push('required');
    if (prop.default !== undefined) facts.push(`default ${JSON.stringify(prop.default)}`);
    if (prop.secret) facts.push('secret');
    out.push(`${path}  (${facts.join('; ')})${prop.description ? `\n      ${prop.description}` : ''}`);
    if (prop.type === 'object' && prop.properties) out.push(...describeFields(prop, `${path}.`));
  }
  return out;
}
