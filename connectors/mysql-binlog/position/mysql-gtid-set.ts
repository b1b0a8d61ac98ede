import { ByteReader } from '../wire/byte-reader.ts';

/**
 * A MySQL GTID set: per source UUID, the transaction numbers applied, as closed intervals
 * (`3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:7-9`). Immutable; `with` returns a new set.
 *
 * Binary form (PREVIOUS_GTIDS body, COM_BINLOG_DUMP_GTID data):
 * n_sids:8 { uuid:16 n_intervals:8 { start:8 end_exclusive:8 }* }*
 */
type Interval = readonly [bigint, bigint];

export class MysqlGtidSet {
  private readonly sets: ReadonlyMap<string, readonly Interval[]>;

  private constructor(sets: ReadonlyMap<string, readonly Interval[]>) {
    this.sets = sets;
  }

  static empty(): MysqlGtidSet {
    return new MysqlGtidSet(new Map());
  }

  static parse(text: string): MysqlGtidSet {
    const sets = new Map<string, Interval[]>();
    for (const raw of text.replace(/\s+/g, '').split(',')) {
      if (raw === '') continue;
      const [uuid, ...ranges] = raw.split(':');
      if (uuid === undefined || !/^[0-9a-f-]{36}$/i.test(uuid)) throw new Error(`"${raw}" is not a MySQL GTID set member (uuid:interval[:interval])`);
      const list = sets.get(uuid.toLowerCase()) ?? [];
      for (const range of ranges) {
        const m = /^(\d+)(?:-(\d+))?$/.exec(range);
        if (m === null) throw new Error(`"${range}" in "${raw}" is not a GTID interval (n or n-m); tagged GTIDs are not supported`);
        list.push([BigInt(m[1] as string), BigInt(m[2] ?? (m[1] as string))]);
      }
      sets.set(uuid.toLowerCase(), normalize(list));
    }
    return new MysqlGtidSet(sets);
  }

  static decode(r: ByteReader): MysqlGtidSet {
    const sets = new Map<string, Interval[]>();
    const count = Number(r.u64());
    for (let i = 0; i < count; i++) {
      const uuid = formatUuid(r.bytes(16));
      const n = Number(r.u64());
      const list: Interval[] = [];
      for (let j = 0; j < n; j++) {
        const start = r.u64();
        const endExclusive = r.u64();
        list.push([start, endExclusive - 1n]);
      }
      sets.set(uuid, normalize(list));
    }
    return new MysqlGtidSet(sets);
  }

  encode(): Buffer {
    const parts: Buffer[] = [u64(BigInt(this.sets.size))];
    for (const [uuid, list] of [...this.sets].sort(([a], [b]) => a.localeCompare(b))) {
      parts.push(Buffer.from(uuid.replace(/-/g, ''), 'hex'), u64(BigInt(list.length)));
      for (const [start, end] of list) parts.push(u64(start), u64(end + 1n));
    }
    return Buffer.concat(parts);
  }

  with(uuid: string, gno: bigint): MysqlGtidSet {
    const sets = new Map(this.sets);
    sets.set(uuid, normalize([...(sets.get(uuid) ?? []), [gno, gno]]));
    return new MysqlGtidSet(sets);
  }

  contains(uuid: string, gno: bigint): boolean {
    return (this.sets.get(uuid) ?? []).some(([s, e]) => gno >= s && gno <= e);
  }

  get isEmpty(): boolean {
    return this.sets.size === 0;
  }

  toString(): string {
    return [...this.sets]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([uuid, list]) => `${uuid}:${list.map(([s, e]) => (s === e ? `${s}` : `${s}-${e}`)).join(':')}`)
      .join(',');
  }
}

function normalize(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Array<[bigint, bigint]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last[1] + 1n) {
      if (e > last[1]) last[1] = e;
    } else {
      out.push([s, e]);
    }
  }
  return out;
}

export function formatUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function u64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b;
}
