import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { PathSegment } from './error.ts';

/** 1-based, as editors show them. */
export interface Position {
  line: number;
  column: number;
}

interface NodeLocation {
  value: Position;
  /** Set for values of mapping entries: where their key starts. */
  key?: Position;
}

/** A JSON pointer (`/sinks/0/config`) for a segment list; the map key of {@link SourceMap}. */
export function toPointer(segments: readonly PathSegment[]): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/**
 * Segments for an ajv `instancePath`, typed against the data it describes: a segment is a number
 * exactly when its container is an array, so `formatPath` can print `[0]` versus `.key`.
 */
export function fromPointer(pointer: string, root: unknown): PathSegment[] {
  if (pointer === '') return [];
  const out: PathSegment[] = [];
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(cur)) {
      const index = Number(key);
      out.push(index);
      cur = cur[index];
    } else {
      out.push(key);
      cur = typeof cur === 'object' && cur !== null ? (cur as Record<string, unknown>)[key] : undefined;
    }
  }
  return out;
}

/**
 * Where each node of a parsed pipeline came from. Lookups of paths with no node (a missing field,
 * a default the schema filled in) answer with the nearest ancestor that exists, so every error
 * still lands on a line the user wrote.
 */
export class SourceMap {
  private readonly nodes = new Map<string, NodeLocation>();

  set(segments: readonly PathSegment[], location: NodeLocation): void {
    this.nodes.set(toPointer(segments), location);
  }

  /** True when the node at this JSON pointer was written in the file. */
  hasPointer(pointer: string): boolean {
    return this.nodes.has(pointer);
  }

  locate(segments: readonly PathSegment[], at: 'key' | 'value' = 'value'): Position {
    for (let n = segments.length; n >= 0; n--) {
      const found = this.nodes.get(toPointer(segments.slice(0, n)));
      if (found !== undefined) return (n === segments.length && at === 'key' ? found.key : undefined) ?? found.value;
    }
    return { line: 1, column: 1 };
  }
}

export interface ConversionProblem {
  segments: PathSegment[];
  at: 'key' | 'value';
  message: string;
}

/** Called for every string scalar; its return value replaces the string in the plain result. */
export type StringHook = (text: string, segments: PathSegment[]) => unknown;

export interface PlainDocument {
  value: unknown;
  map: SourceMap;
  problems: ConversionProblem[];
}

/**
 * Converts a YAML document to plain JSON-like data, recording every node's position. Aliases are
 * expanded (positions then point at the anchored text, which is what the user wrote). Keys must be
 * scalars; they become strings.
 */
export function toPlain(doc: Document, lineCounter: LineCounter, onString: StringHook): PlainDocument {
  const map = new SourceMap();
  const problems: ConversionProblem[] = [];
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  // Invariant: `active` holds the alias targets currently being expanded, so a recursive alias is
  // reported instead of expanding forever.
  const active = new Set<Node>();

  const walk = (node: unknown, segments: PathSegment[], key: Position | undefined): unknown => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const at = pos(node.range?.[0] ?? 0);
      if (target === undefined || active.has(target)) {
        map.set(segments, { value: at, key });
        problems.push({ segments, at: 'value', message: target === undefined ? `alias *${node.source} names no anchor` : `alias *${node.source} refers to itself` });
        return null;
      }
      active.add(target);
      const value = walk(target, segments, key);
      active.delete(target);
      // The alias's own position wins for the node itself; its children keep the anchor's.
      map.set(segments, { value: at, key });
      return value;
    }
    const start = (node as Node | null)?.range?.[0];
    // A key with no value node at all (`{ a }`) has no position of its own: use the key's.
    const here = start !== undefined ? pos(start) : (key ?? { line: 1, column: 1 });
    map.set(segments, { value: here, key });
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const k = pair.key;
        const keyPos = pos((k as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0);
        const keyValue = isScalar(k) ? k.value : undefined;
        if (typeof keyValue !== 'string' && typeof keyValue !== 'number' && typeof keyValue !== 'boolean') {
          problems.push({ segments, at: 'value', message: `key at line ${keyPos.line}, column ${keyPos.column} must be a plain name` });
          continue;
        }
        const name = String(keyValue);
        const child = [...segments, name];
        // defineProperty, not assignment: a key named `__proto__` must stay data, not reset the prototype.
        Object.defineProperty(out, name, { value: walk(pair.value, child, keyPos), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    if (isSeq(node)) return node.items.map((item, i) => walk(item, [...segments, i], undefined));
    if (isScalar(node)) return typeof node.value === 'string' ? onString(node.value, segments) : node.value;
    return null;
  };

  return { value: walk(doc.contents, [], undefined), map, problems };
}
