import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import type { Ack, Snapshot } from '../../shared/protocol/events.js';
import type { GroupView } from '../../shared/session/projection.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The last release before room state carried a schema and the protocol said which side is too
 * old (protocol 1). A rolling deploy from it must keep live sessions whole.
 */
export const PREVIOUS_RELEASE = { commit: '28656b34ef33f42539e366c6db32184b0b030447', protocol: 1 } as const;

export interface ReleaseTree {
  root: string;
  remove(): Promise<void>;
}

/**
 * That release's files, taken from this repository's history, with this checkout's installed
 * packages (its dependencies are the same ones, and its media worker is not started).
 */
export async function checkOutPreviousRelease(): Promise<ReleaseTree> {
  const dir = await mkdtemp(join(tmpdir(), 'holdspace-previous-'));
  await mkdir(dir, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', PREVIOUS_RELEASE.commit], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { root: dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A page still running the previous release's client: it speaks protocol 1 and nothing newer. */
export class PreviousClient {
  readonly socket: Socket;
  group: GroupView | null = null;
  /** Why the server refused or closed this connection, if it did. */
  refusal: string | null = null;

  constructor(url: string, token: string) {
    this.socket = io(url, { auth: { protocol: PREVIOUS_RELEASE.protocol, token }, transports: ['websocket'], reconnectionDelay: 50, reconnectionDelayMax: 250 });
    this.socket.on('snapshot', (snapshot: Snapshot) => (this.group = snapshot.group));
    this.socket.on('room', ({ group }: { group: GroupView }) => {
      if (!this.group || group.version === this.group.version + 1) this.group = group;
    });
    this.socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      this.refusal = error.data?.code ?? error.message;
    });
  }

  send(command: Record<string, unknown>): Promise<Ack> {
    return this.socket.timeout(8_000).emitWithAck('command', { id: `old${Math.random().toString(36).slice(2, 12)}`, ...command });
  }

  close(): void {
    this.socket.disconnect();
  }
}
