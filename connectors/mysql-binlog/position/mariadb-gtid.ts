/**
 * MariaDB GTIDs: `domain-server-sequence`. A replication position is one GTID per domain (the last
 * transaction applied in that domain), written comma-separated as in `@@gtid_binlog_pos` and
 * `@slave_connect_state`, e.g. `0-1-1207,1-3-12`.
 */
export interface MariaGtid {
  domain: number;
  server: number;
  seq: bigint;
}

export function formatMariaGtid(g: MariaGtid): string {
  return `${g.domain}-${g.server}-${g.seq}`;
}

export function parseMariaGtid(text: string): MariaGtid {
  const m = /^(\d+)-(\d+)-(\d+)$/.exec(text.trim());
  if (m === null) throw new Error(`"${text}" is not a MariaDB GTID (domain-server-sequence)`);
  return { domain: Number(m[1]), server: Number(m[2]), seq: BigInt(m[3] as string) };
}

/** A position: the last GTID per domain. Immutable; `with` returns a new state. */
export class MariaGtidState {
  private readonly byDomain: ReadonlyMap<number, MariaGtid>;

  private constructor(byDomain: ReadonlyMap<number, MariaGtid>) {
    this.byDomain = byDomain;
  }

  static empty(): MariaGtidState {
    return new MariaGtidState(new Map());
  }

  static parse(text: string): MariaGtidState {
    const map = new Map<number, MariaGtid>();
    for (const part of text.split(',')) {
      if (part.trim() === '') continue;
      const g = parseMariaGtid(part);
      map.set(g.domain, g);
    }
    return new MariaGtidState(map);
  }

  static of(gtids: Iterable<MariaGtid>): MariaGtidState {
    const map = new Map<number, MariaGtid>();
    for (const g of gtids) map.set(g.domain, g);
    return new MariaGtidState(map);
  }

  with(g: MariaGtid): MariaGtidState {
    const map = new Map(this.byDomain);
    map.set(g.domain, g);
    return new MariaGtidState(map);
  }

  get isEmpty(): boolean {
    return this.byDomain.size === 0;
  }

  /** Domains in ascending order, as the server prints them. */
  toString(): string {
    return [...this.byDomain.values()]
      .sort((a, b) => a.domain - b.domain)
      .map(formatMariaGtid)
      .join(',');
  }
}
