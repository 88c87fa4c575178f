// What a V8 heap snapshot holds, summed by kind: JavaScript objects (by constructor) apart from
// V8's own compiled code and internal structures, which grow as hot paths are optimised and which
// no object of the application holds.
import { readFile } from 'node:fs/promises';

/** Node types that are the application's data; the rest (code, hidden, object shape, array, synthetic) are V8's. */
const JS_TYPES = new Set(['object', 'closure', 'string', 'concatenated string', 'sliced string', 'number', 'regexp', 'native', 'bigint', 'symbol']);

export interface HeapSummary {
  /** self size of JavaScript objects, bytes */
  jsBytes: number;
  /** compiled code and its metadata, bytes */
  codeBytes: number;
  /** self size and count per constructor (JavaScript objects only) */
  byConstructor: Map<string, { count: number; bytes: number }>;
}

export async function summariseHeapSnapshot(path: string): Promise<HeapSummary> {
  const snapshot = JSON.parse(await readFile(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const types = snapshot.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt, width] = [fields.indexOf('type'), fields.indexOf('name'), fields.indexOf('self_size'), fields.length];
  const summary: HeapSummary = { jsBytes: 0, codeBytes: 0, byConstructor: new Map() };
  const { nodes, strings } = snapshot;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + typeAt]!]!;
    const size = nodes[i + sizeAt]!;
    if (type === 'code') summary.codeBytes += size;
    if (!JS_TYPES.has(type)) continue;
    summary.jsBytes += size;
    const name = type === 'object' || type === 'closure' || type === 'native' ? strings[nodes[i + nameAt]!]!.slice(0, 60) : `(${type})`;
    const entry = summary.byConstructor.get(name) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += size;
    summary.byConstructor.set(name, entry);
  }
  return summary;
}

/** The constructors whose objects grew most from `before` to `after`. */
export function grewMost(before: HeapSummary, after: HeapSummary, top = 5): { name: string; count: number; bytes: number }[] {
  return [...after.byConstructor.entries()]
    .map(([name, { count, bytes }]) => ({ name, count: count - (before.byConstructor.get(name)?.count ?? 0), bytes: bytes - (before.byConstructor.get(name)?.bytes ?? 0) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}
