import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomConnection } from '../../client/src/session/connection.js';
import { startHoldspace, until, type RunningHoldspace } from '../support/holdspace.js';
import { scrapeMetrics, seriesValue, testMetricsToken } from '../support/metrics.js';

describe('/metrics during a session of real clients', () => {
  let server: RunningHoldspace;
  const title = 'Grief circle Marker-Title-5d1e';
  const names = ['Ana Marker-Name-8a2c', 'Ben Marker-Name-3f9b', 'Cleo Marker-Name-77e0'];
  const connections: RoomConnection[] = [];
  const ids: string[] = [];
  let roomId = '';

  beforeAll(async () => {
    server = await startHoldspace({ METRICS_TOKEN: testMetricsToken });
    const room = await server.createRoom(title);
    roomId = room.roomId;
    const facilitator = server.connect(room.token);
    connections.push(facilitator);
    await until(facilitator, (s) => s.group !== null);
    ids.push(facilitator.snapshot.self!.you.id);
    for (const name of names) {
      const joined = await server.join(room.inviteUrl, name);
      ids.push(joined.memberId);
      const member = server.connect(joined.token);
      connections.push(member);
      await until(facilitator, (s) => s.self?.role === 'facilitator' && s.self.waiting.some((person) => person.id === joined.memberId));
      expect((await facilitator.send({ type: 'admit', memberId: joined.memberId })).ok).toBe(true);
      await until(member, (s) => s.group !== null);
    }
    // Some commands answered, some refused (a member may not set the floor's mode).
    expect((await facilitator.send({ type: 'floor.mode', mode: 'queue' })).ok).toBe(true);
    expect((await connections[1]!.send({ type: 'hand.raise' })).ok).toBe(true);
    expect(await connections[2]!.send({ type: 'floor.mode', mode: 'open' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
  afterAll(() => server?.stop());

  it('has the process and Holdspace series with what this process holds', async () => {
    const scrape = await scrapeMetrics(server.url);
    expect(seriesValue(scrape, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(scrape).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    expect(seriesValue(scrape, 'holdspace_rooms')).toBe(1);
    expect(seriesValue(scrape, 'holdspace_sockets')).toBe(connections.length);
    expect(seriesValue(scrape, 'holdspace_participants')).toBe(connections.length);
    expect(seriesValue(scrape, 'holdspace_command_seconds_count')).toBeGreaterThanOrEqual(names.length + 3);
    expect(seriesValue(scrape, 'holdspace_command_seconds_bucket{le="+Inf"}')).toBe(seriesValue(scrape, 'holdspace_command_seconds_count'));
    expect(seriesValue(scrape, 'holdspace_refusals_total{code="FORBIDDEN"}')).toBe(1);
    expect(seriesValue(scrape, 'holdspace_store_errors_total')).toBe(0);
  });

  it('names no participant, id, room or title anywhere', async () => {
    const scrape = await scrapeMetrics(server.url);
    const secrets = [title, 'Marker-', roomId, ...ids, ...names, ...names.map((name) => name.split(' ')[0]!), 'Dr. Rivera', 'Rivera'];
    for (const secret of secrets) expect(scrape.includes(secret), secret).toBe(false);
    // Every label value is a fixed word: an error code, a bucket bound, a worker slot, or a default metric's own.
    const labelValues = [...scrape.matchAll(/(\w+)="([^"]*)"/g)].map(([, label, value]) => `${label}=${value}`);
    for (const pair of labelValues.filter((pair) => pair.startsWith('code='))) expect(pair).toMatch(/^code=[A-Z_]+$/);
  });

  it('answers only the METRICS_TOKEN bearer', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.facilitatorKey}` } })).status).toBe(401);
    const off = await startHoldspace();
    try {
      const response = await fetch(`${off.url}/metrics`);
      expect(response.status).toBe(404);
      expect(await response.text()).toMatch(/METRICS_TOKEN/);
    } finally {
      await off.stop();
    }
  });

  it('GET /api/status is gone: its counts live in /metrics', async () => {
    const response = await fetch(`${server.url}/api/status`, { headers: { authorization: `Bearer ${server.facilitatorKey}` } });
    expect(response.status).toBe(404);
  });
});
