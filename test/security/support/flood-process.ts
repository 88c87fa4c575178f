/**
 * A flooding client in its own process, so its sending does not slow the clients whose latency the
 * test measures. It sends `rate` events a second while told to, reconnects when it is cut off (a
 * persistent attacker would), and reports what came back. Driven over IPC by flood.test.ts.
 */
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../../shared/protocol/commands.js';

const url = process.env.FLOOD_URL!;
const token = process.env.FLOOD_TOKEN!;
const rate = Number(process.env.FLOOD_RATE ?? 1000);

const figures = { sent: 0, answered: 0, accepted: 0, rateLimited: 0, otherRefusals: 0, cut: 0, connects: 0, handshakeRefused: {} as Record<string, number> };
let socket: Socket | null = null;
let flooding = false;
let counter = 0;

function open(): void {
  socket = io(url, { auth: { protocol: PROTOCOL_VERSION, token }, transports: ['websocket'], reconnection: false, forceNew: true });
  socket.on('connect', () => void figures.connects++);
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') figures.cut++;
    setTimeout(open, 100);
  });
  socket.on('connect_error', (error) => {
    const code = (error as Error & { data?: { code?: string } }).data?.code ?? 'transport';
    figures.handshakeRefused[code] = (figures.handshakeRefused[code] ?? 0) + 1;
    setTimeout(open, 250);
  });
}

// A thousand a second, each a hand raised or lowered with an acknowledgement; a late timer catches up.
let due = 0;
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  due += ((now - last) * rate) / 1000;
  last = now;
  if (!flooding || !socket?.connected) return void (due = 0);
  for (; due >= 1; due--) {
    counter++;
    figures.sent++;
    socket.emit('command', { id: `flood-${process.pid}-${counter}`, type: counter % 2 ? 'hand.raise' : 'hand.lower' }, (answer: { ok: boolean; code?: string }) => {
      figures.answered++;
      if (answer.ok) figures.accepted++;
      else if (answer.code === 'RATE_LIMITED') figures.rateLimited++;
      else figures.otherRefusals++;
    });
  }
}, 10);

process.on('message', (message: { kind: 'start' | 'stop' | 'figures' | 'quit' }) => {
  if (message.kind === 'start') flooding = true;
  if (message.kind === 'stop') flooding = false;
  if (message.kind === 'figures') process.send?.({ figures });
  if (message.kind === 'quit') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
open();
process.send?.({ ready: true });
