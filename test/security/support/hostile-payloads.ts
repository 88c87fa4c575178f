import fc from 'fast-check';
import { clientCommandSchema, syncRequestSchema, type CommandType } from '../../../shared/protocol/commands.js';

/** Keys that reach for the prototype chain or shadow built-ins. */
export const prototypeKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'] as const;

/** Build an object whose own keys are exactly these, `__proto__` included (as JSON.parse would). */
export function ownKeys(entries: [string, unknown][]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

/**
 * Nesting far past anything a handler walks, as arrays, objects, or under a prototype key. Capped
 * where Socket.IO's own client still encodes it; deeper nesting goes out as raw frames (hostile-frames.ts).
 */
export const deepNesting = fc
  .record({ depth: fc.integer({ min: 50, max: 1_000 }), shape: fc.constantFrom('array', 'object', 'proto') })
  .map(({ depth, shape }) => {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i++) value = shape === 'array' ? [value] : shape === 'object' ? { a: value } : ownKeys([['__proto__', value]]);
    // fast-check would recurse through every level to print a counterexample; a summary does.
    Object.defineProperty(value, fc.toStringMethod, { value: () => `<${shape} nested ${depth} deep>`, enumerable: false });
    return value;
  });

const numbers = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, Number.MAX_SAFE_INTEGER + 2, -1e308, 5e-324),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
);

const strings = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('', ' ', '\u0000', '\u202e\u202d', '\ud800', '💥'.repeat(200), '<script>alert(1)</script>', '${7*7}', '../../etc/passwd', 'drop table rooms;--'),
  ...prototypeKeys.map((key) => fc.constant(key)),
  // Longer than any limit in the protocol, still well under the 64 KB packet limit.
  fc.integer({ min: 501, max: 20_000 }).map((n) => 'y'.repeat(n)),
);

const binary = fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes));

const scalar = fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean(), numbers, strings, binary);

/** Any value a hostile client can put on the wire, prototype keys and deep nesting included. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ maxDepth: 3, depthIdentifier: 'hostile' }, { arbitrary: scalar, weight: 6 }, tie('array'), tie('object'), { arbitrary: deepNesting, weight: 1 }),
  array: fc.array(tie('value'), { maxLength: 6 }),
  object: fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...prototypeKeys), fc.string({ maxLength: 12 }), fc.constantFrom('id', 'type', 'role', 'memberId', 'text')), tie('value')), { maxLength: 5 })
    .map(ownKeys),
})).value;

/**
 * What the server will see once the value has crossed the wire: JSON for everything but binary,
 * which Socket.IO carries as attachments and no command schema accepts.
 */
export function overTheWire(value: unknown): unknown {
  if (value === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer' && Array.isArray((v as { data?: unknown }).data) ? { __binary__: true } : v,
    );
  } catch {
    // Too deep to copy here; no schema in the protocol is more than a few levels deep, so it cannot be valid.
    return { __tooDeep__: true };
  }
  return text === undefined ? undefined : JSON.parse(text);
}

/**
 * The same value as Socket.IO's client sends it in a packet that carries binary anywhere: its
 * deconstruction copies objects key by key, so own `__proto__` keys are lost on the way.
 */
export function withoutProtoKeys(value: unknown, depth = 0): unknown {
  if (depth > 50 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map((item) => withoutProtoKeys(item, depth + 1));
  return ownKeys(Object.entries(value).filter(([key]) => key !== '__proto__').map(([key, item]) => [key, withoutProtoKeys(item, depth + 1)]));
}

/** Whether the server could take it as a valid command, however the client happened to encode it. */
export const isValidCommand = (payload: unknown) =>
  clientCommandSchema.safeParse(overTheWire(payload)).success || clientCommandSchema.safeParse(overTheWire(withoutProtoKeys(payload))).success;
export const isValidSync = (payload: unknown) => syncRequestSchema.safeParse(overTheWire(payload) ?? {}).success;

/** Hostile variations of one well-formed command: wholly wrong, or one part of it broken. Never valid. */
export function hostileCommand(type: CommandType, sample: () => Record<string, unknown>): fc.Arbitrary<unknown> {
  const mutated = fc
    .record({
      kind: fc.constantFrom('set', 'add', 'drop', 'nest'),
      field: fc.constantFrom(...Object.keys({ ...sample(), id: '', type: '' })),
      extraKey: fc.oneof(fc.constantFrom(...prototypeKeys), fc.constantFrom('role', 'by', 'participantId', 'facilitator', 'as'), fc.string({ maxLength: 12 })),
      value: hostileValue,
      nested: deepNesting,
    })
    .map(({ kind, field, extraKey, value, nested }) => {
      const entries = Object.entries(sample());
      if (kind === 'set') return ownKeys(entries.map(([k, v]) => [k, k === field ? value : v]));
      if (kind === 'add') return ownKeys([...entries, [extraKey, value]]);
      if (kind === 'drop') return ownKeys(entries.filter(([k]) => k !== field));
      return ownKeys(entries.map(([k, v]) => [k, k === field ? nested : v]));
    });
  const wrongType = fc.constantFrom(`${type}.admin`, type.toUpperCase(), ` ${type}`, `${type}\u0000`, 'join', 'presence', 'tick').map((t) => ({ ...sample(), type: t }));
  return fc.oneof({ arbitrary: mutated, weight: 6 }, { arbitrary: hostileValue, weight: 3 }, { arbitrary: wrongType, weight: 1 }).filter((payload) => !isValidCommand(payload));
}

/** How a hostile client attaches (or fails to attach) an acknowledgement. */
export type AckShape = 'ack' | 'none' | 'extra-before-ack' | 'ack-only' | 'two-callbacks';
export const ackShape: fc.Arbitrary<AckShape> = fc.constantFrom<AckShape>('ack', 'ack', 'ack', 'ack', 'none', 'extra-before-ack', 'ack-only', 'two-callbacks');

/** Event names no handler knows, including built-in property names and near-misses of real ones. */
export const unknownEventName = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 60 }),
    fc.constantFrom('admin', 'state', 'room', 'snapshot', 'self', 'farewell', 'Command', 'command ', 'sync\u0000', 'media.join', 'join', 'tick', 'presence', 'x'.repeat(2_000)),
    fc.constantFrom(...prototypeKeys),
  )
  .filter((name) => !['command', 'sync', 'connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'].includes(name));
