import { createWorker } from 'mediasoup';
import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const mediaCodecs: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000 },
];

describe('mediasoup worker', () => {
  let worker: types.Worker;
  const deaths: Error[] = [];

  beforeAll(async () => {
    worker = await createWorker({ logLevel: 'warn' });
    worker.on('died', (error) => deaths.push(error));
  });

  afterAll(() => {
    if (!worker.closed) worker.close();
  });

  it('runs as a child process that answers requests', async () => {
    expect(worker.pid).toBeGreaterThan(0);
    expect(worker.closed).toBe(false);

    const dump = await worker.dump();
    expect(dump.pid).toBe(worker.pid);
    expect(dump.routerIds).toEqual([]);
  });

  it('creates a router whose capabilities offer opus and VP8', async () => {
    const router = await worker.createRouter({ mediaCodecs });

    expect(router.id).toMatch(UUID);
    expect((await worker.dump()).routerIds).toEqual([router.id]);

    const codecs = router.rtpCapabilities.codecs ?? [];
    const opus = codecs.find((codec) => codec.mimeType === 'audio/opus');
    const vp8 = codecs.find((codec) => codec.mimeType === 'video/VP8');
    expect(opus).toMatchObject({ kind: 'audio', clockRate: 48000, channels: 2 });
    expect(vp8).toMatchObject({ kind: 'video', clockRate: 90000 });
    // mediasoup pairs every video codec with an RTX codec for retransmissions.
    expect(codecs).toContainEqual(
      expect.objectContaining({ mimeType: 'video/rtx', parameters: { apt: vp8?.preferredPayloadType } }),
    );
    expect(codecs.map((codec) => codec.mimeType)).not.toContain('video/H264');

    router.close();
    expect(router.closed).toBe(true);
    expect((await worker.dump()).routerIds).toEqual([]);
  });

  it('opens a WebRTC transport on 127.0.0.1 and closes it with its router', async () => {
    const router = await worker.createRouter({ mediaCodecs });
    const transport = await router.createWebRtcTransport({
      listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }],
    });

    expect(transport.id).toMatch(UUID);
    expect(transport.id).not.toBe(router.id);
    expect(transport.iceRole).toBe('controlled');
    expect(transport.iceState).toBe('new');
    expect(transport.dtlsState).toBe('new');

    const { usernameFragment, password, iceLite } = transport.iceParameters;
    expect(usernameFragment.length).toBeGreaterThan(0);
    expect(password.length).toBeGreaterThan(0);
    expect(iceLite).toBe(true);

    expect(transport.iceCandidates).toHaveLength(1);
    const [candidate] = transport.iceCandidates;
    expect(candidate).toMatchObject({ address: '127.0.0.1', protocol: 'udp', type: 'host' });
    expect(candidate?.port).toBeGreaterThan(0);

    const sha256 = expect.stringMatching(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(transport.dtlsParameters.fingerprints).toContainEqual({ algorithm: 'sha-256', value: sha256 });

    const routerDump = await router.dump();
    expect(routerDump.transportIds).toEqual([transport.id]);

    router.close();
    expect(transport.closed).toBe(true);
  });

  it('closes without dying and leaves no process behind', async () => {
    const pid = worker.pid;
    const subprocessClosed = new Promise<void>((resolve) => worker.on('subprocessclose', resolve));

    worker.close();
    expect(worker.closed).toBe(true);
    await subprocessClosed;

    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    expect(deaths).toEqual([]);
  });
});
