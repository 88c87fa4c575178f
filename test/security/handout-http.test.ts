import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seatedRoom, startHoldspace, until, type RunningHoldspace, type SeatedRoom } from '../support/holdspace.js';

const png = (size: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(size - 8, 7)]);
const image = (bytes: Buffer, mime = 'image/png') => ({ handout: { kind: 'image', mime, alt: 'A diagram', data: bytes.toString('base64') } });

describe('the room serves a picture handout only to those in it', () => {
  let server: RunningHoldspace;
  let room: SeatedRoom;
  let other: SeatedRoom;
  const call = (path: string, token: string | null, body?: unknown) =>
    fetch(`${server.url}/api/rooms/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const code = async (response: Response) => ((await response.json()) as { code: string }).code;

  beforeAll(async () => {
    server = await startHoldspace();
    room = await seatedRoom(server, ['Ana']);
    other = await seatedRoom(server, ['Zoe'], 'Another group');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('the facilitator shows a 300 KB PNG; a member of the room gets exactly its bytes, typed and never cached', async () => {
    const bytes = png(300 * 1024);
    expect((await call(`${room.roomId}/handouts`, room.facilitatorToken, image(bytes))).status).toBe(201);
    const ana = room.members[0]!;
    const shown = await until(ana.connection, (s) => s.group?.handout?.kind === 'image');
    const handout = shown.group!.handout!;
    expect(JSON.stringify(shown.group)).not.toContain(bytes.toString('base64').slice(0, 200));
    const response = await call(`${room.roomId}/handouts/${handout.id}`, ana.token);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it.each([
    { name: 'a member sending one', as: 'member', body: image(png(64)), status: 403, refusal: 'FORBIDDEN' },
    { name: 'no session', as: 'none', body: image(png(64)), status: 401, refusal: 'UNAUTHENTICATED' },
    { name: "another room's facilitator", as: 'other', body: image(png(64)), status: 401, refusal: 'UNAUTHENTICATED' },
    { name: 'a picture over 300 KB', as: 'facilitator', body: image(png(300 * 1024 + 1)), status: 400, refusal: 'INVALID' },
    { name: 'a GIF', as: 'facilitator', body: image(Buffer.from('GIF89a....'), 'image/gif'), status: 400, refusal: 'INVALID' },
    { name: 'HTML declared as a PNG', as: 'facilitator', body: image(Buffer.from('<html><script>alert(1)</script>')), status: 400, refusal: 'INVALID' },
  ])('refuses $name and changes nothing', async ({ as, body, status, refusal }) => {
    const before = room.facilitator.snapshot.group!.version;
    const token = as === 'member' ? room.members[0]!.token : as === 'other' ? other.facilitatorToken : as === 'facilitator' ? room.facilitatorToken : null;
    const response = await call(`${room.roomId}/handouts`, token, body);
    expect(response.status).toBe(status);
    expect(await code(response)).toBe(refusal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(room.facilitator.snapshot.group!.version).toBe(before);
  });

  it('gives the bytes to nobody outside the room, and nothing for a handout no longer shown', async () => {
    const id = room.members[0]!.connection.snapshot.group!.handout!.id;
    expect(await code(await call(`${room.roomId}/handouts/${id}`, null))).toBe('UNAUTHENTICATED');
    expect(await code(await call(`${room.roomId}/handouts/${id}`, other.members[0]!.token))).toBe('UNAUTHENTICATED');
    expect((await room.facilitator.send({ type: 'handout.hide' })).ok).toBe(true);
    expect(await code(await call(`${room.roomId}/handouts/${id}`, room.members[0]!.token))).toBe('NOT_FOUND');
  });
});
