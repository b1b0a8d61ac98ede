/**
 * Which tables are captured, with Canal's `filter.regex` / `filter.black.regex` semantics: each
 * pattern is a regular expression matched against the whole `database.table` name, case-insensitively;
 * no include pattern means every table; an exclude match always wins. System schemas are never captured.
 */
export class TableFilter {
  private readonly include: RegExp[];
  private readonly exclude: RegExp[];
  private readonly cache = new Map<string, boolean>();

  constructor(include: readonly string[], exclude: readonly string[]) {
    this.include = include.filter((p) => p.trim() !== '').map(compile);
    this.exclude = exclude.filter((p) => p.trim() !== '').map(compile);
  }

  matches(database: string, table: string): boolean {
    const name = `${database}.${table}`;
    let hit = this.cache.get(name);
    if (hit === undefined) {
      hit =
        !SYSTEM.has(database.toLowerCase()) &&
        (this.include.length === 0 || this.include.some((r) => r.test(name))) &&
        !this.exclude.some((r) => r.test(name));
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(name, hit);
    }
    return hit;
  }
}

const SYSTEM = new Set(['mysql', 'information_schema', 'performance_schema', 'sys']);

function compile(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern.trim()})$`, 'i');
  } catch (err) {
    throw new Error(`"${pattern}" is not a valid regular expression: ${err instanceof Error ? err.message : String(err)}`);
  }
}
