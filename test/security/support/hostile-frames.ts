import fc from 'fast-check';

/**
 * Raw engine.io / Socket.IO frames as a hostile client can write them on a WebSocket:
 * engine packet types 0-6 then Socket.IO packet types 0-6 inside a message ('4').
 */
const validEvents = [
  '42["command",{"id":"abcdef123","type":"hand.raise"}]',
  '421["command",{"id":"abcdef123","type":"feedback.submit","promptId":"abcdef","text":"hello"}]',
  '422["sync",{}]',
  '42["sync",{"since":3}]',
];

const truncated = fc.tuple(fc.constantFrom(...validEvents), fc.nat()).map(([frame, cut]) => frame.slice(0, 1 + (cut % (frame.length - 1))));

const wrongPacketType = fc
  .tuple(fc.constantFrom('0', '1', '3', '5', '6', '7', '8', '9', 'a', 'b', '-', ' ', '\u0000'), fc.constantFrom('', '0', '1', '2', '3', '4', '5', '6', '7', '9', 'x'), fc.constantFrom('', '["command",{}]', '{}', 'probe', '[]'))
  .map(([engine, io, body]) => engine + io + body);

const invalidJson = fc.constantFrom(
  '42["command",{"id":"abcdef123","type":"hand.raise"',
  '42["command",{id:"abcdef123"}]',
  '42["command",{"index":NaN}]',
  '42["command",{"rating":Infinity}]',
  '42["command",{"k":-Infinity}]',
  '42["command",undefined]',
  "42['command',{}]",
  '42["command",{"a":1,}]',
  '42["command"',
  '42[',
  '42]',
  '42{"command":1}',
  '42"command"',
  '42null',
  '42[]',
  '42[null]',
  '42[{}]',
  '42[true]',
  '42["command",{"__proto__":{"role":"facilitator","polluted":true}}]',
  '42["command",{"constructor":{"prototype":{"polluted":true}}}]',
  '42["__proto__",{"polluted":true}]',
  '42["constructor",{}]',
  '42["hasOwnProperty",{}]',
  '42["disconnect"]',
  '42["connect"]',
  '42["disconnecting","x"]',
  '42["newListener","command"]',
  '42["removeListener","command"]',
  '42["error",{}]',
  '42[1,{}]',
  '42[1e400,{}]',
  '429999999999999999999999["sync",{}]',
  '42-1["sync",{}]',
  '42/admin,["command",{}]',
  '40/admin,{}',
  '40/,{}',
  '41',
  '41/admin,',
  '43["not","an","ack"]',
  '431[{"ok":true}]',
  '4',
  '',
  '2probe',
  '3probe',
  '5',
  '6',
  '1',
);

const hugeAttachments = fc
  .tuple(fc.constantFrom('45', '46'), fc.constantFrom('0', '11', '9999', '99999999999', '1e21', '-1', 'abc', '', '1.5', '0x10'), fc.constantFrom('-', ''), fc.constantFrom('["command",{"_placeholder":true,"num":0}]', '["command",{"_placeholder":true,"num":999}]', '["command",{"_placeholder":true,"num":"__proto__"}]', '[]'))
  .map(([type, count, dash, body]) => type + count + dash + body);

/** Nesting deep enough to hurt a recursive walker, still under the 64 KB packet limit. */
const deepJson = fc.record({ depth: fc.integer({ min: 1_000, max: 30_000 }), open: fc.constantFrom('[', '{"a":') }).map(({ depth, open }) => {
  const close = open === '[' ? ']' : '}';
  return `42["command",${open.repeat(depth)}1${close.repeat(depth)}]`;
});

const garbageText = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 50 }).map((s) => `4${s}`));

const binaryFrame = fc.uint8Array({ minLength: 0, maxLength: 4_096 }).map((bytes) => Buffer.from(bytes));

export const hostileFrame: fc.Arbitrary<string | Buffer> = fc.oneof(
  { arbitrary: garbageText, weight: 3 },
  { arbitrary: truncated, weight: 2 },
  { arbitrary: wrongPacketType, weight: 2 },
  { arbitrary: invalidJson, weight: 4 },
  { arbitrary: hugeAttachments, weight: 2 },
  { arbitrary: deepJson, weight: 1 },
  { arbitrary: binaryFrame, weight: 2 },
);

/** A connection's worth of frames: sent before or after joining the namespace. */
export const hostileConnection = fc.record({ joinFirst: fc.boolean(), frames: fc.array(hostileFrame, { minLength: 1, maxLength: 8 }) });
