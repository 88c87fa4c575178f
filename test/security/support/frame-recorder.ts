import type { RoomSocket } from '../../../client/src/session/connection.js';

export type FrameListener = (text: string, at: number) => void;

/**
 * Every Socket.IO frame a client receives, as the raw text on the wire (engine.io `message` packets),
 * across reconnections, and every id the client was known by (socket and engine ids).
 */
export function recordFrames(socket: RoomSocket, onFrame: FrameListener, onIds: (ids: string[]) => void): void {
  const hooked = new WeakSet<object>();
  const hook = () => {
    // Undefined until the manager first opens, whatever its type says.
    const engine: typeof socket.io.engine | undefined = socket.io.engine;
    if (!engine || hooked.has(engine)) return;
    hooked.add(engine);
    engine.on('packet', (packet) => {
      if (packet.type === 'message' && typeof packet.data === 'string') onFrame(packet.data, performance.now());
    });
  };
  hook();
  socket.io.on('open', hook);
  socket.on('connect', () => {
    onIds([socket.id, socket.io.engine.id].filter((id): id is string => typeof id === 'string'));
  });
  if (socket.connected) onIds([socket.id, socket.io.engine.id].filter((id): id is string => typeof id === 'string'));
}
