// The floor Socket.IO allows: a server that only relays a message of a given size to a room.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { serveBenchRequests } from '../support/child-server.js';

const http = createServer();
const io = new Server(http, { maxHttpBufferSize: 64 * 1024, serveClient: false });
io.on('connection', (socket) => {
  const room = String(socket.handshake.auth.room ?? 'room');
  socket.join(room);
  // The trigger hands over a copy of Holdspace's group view once; each broadcast relays it, as
  // Holdspace would, so the receivers parse the same bytes in both runs.
  let payload: unknown = null;
  socket.on('payload', (group: unknown, ack: (ok: boolean) => void) => {
    payload = group;
    ack(true);
  });
  socket.on('broadcast', (version: number, ack: (ok: boolean) => void) => {
    io.to(room).emit('room', { serverTime: Date.now(), group: { ...(payload as object), version } });
    ack(true);
  });
});
http.listen(0, '127.0.0.1', () => serveBenchRequests(`http://127.0.0.1:${(http.address() as AddressInfo).port}`));
