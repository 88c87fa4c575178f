// `npm run bench`: every benchmark on this machine, each figure beside a baseline measured in
// the same run, as a table. Set BENCH_QUICK=1 for a short run.
import { cpus, totalmem } from 'node:os';
import { CAPACITY_P99_MS, describeStep, measureCapacity } from './capacity.js';
import { measureClient } from './client.js';
import { measureE2ee } from './e2ee.js';
import { measureFanout } from './fanout.js';
import { measureFloorSilence } from './floor-silence.js';
import { measureGroupSession } from './group-session.js';
import { measureJoinMedia } from './join-media.js';
import { measureLoad } from './load.js';
import { measureMemorySoak } from './memory-soak.js';
import { measureRedisFanout } from './redis-fanout.js';
import { measureSfuCost } from './sfu-cost.js';
import { measureVideoDownlink } from './video-downlink.js';

interface Row {
  benchmark: string;
  figure: string;
  baseline: string;
  target: string;
  verdict: 'met' | 'missed' | 'info';
}

const quick = process.env.BENCH_QUICK === '1';
const rows: Row[] = [];
const ms = (value: number) => `${value.toFixed(2)} ms`;
const add = (row: Row) => {
  rows.push(row);
  console.log(`  ${row.verdict === 'missed' ? '✗' : '✓'} ${row.benchmark}: ${row.figure} (baseline ${row.baseline}; target ${row.target})`);
};

console.log(`Holdspace benchmarks on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);

console.log('Control-event fan-out (1 room, facilitator + 12 members)...');
const fanout = await measureFanout({ rounds: quick ? 3 : 10 });
const p50Ratio = fanout.holdspace.p50 / fanout.bare.p50;
const p99Ratio = fanout.holdspace.p99 / fanout.bare.p99;
add({
  benchmark: 'fan-out p50',
  figure: `${ms(fanout.holdspace.p50)} (${p50Ratio.toFixed(2)}x)`,
  baseline: `bare Socket.IO ${ms(fanout.bare.p50)}`,
  target: '≤ 1.3x',
  verdict: p50Ratio <= 1.3 ? 'met' : 'missed',
});
add({
  benchmark: 'fan-out p99',
  figure: `${ms(fanout.holdspace.p99)} (${p99Ratio.toFixed(2)}x)`,
  baseline: `bare Socket.IO ${ms(fanout.bare.p99)}`,
  target: '≤ 1.5x',
  verdict: p99Ratio <= 1.5 ? 'met' : 'missed',
});

console.log('Under load (100 rooms × 13 sockets, 5 commands/s per room, clients in 2 processes)...');
const load = await measureLoad({ measureMs: quick ? 10_000 : 30_000 });
add({
  benchmark: 'load fan-out p50 / p99',
  figure: `${ms(load.latency.p50)} / ${ms(load.latency.p99)} over ${load.latency.n} commands, ${load.errors} errors`,
  baseline: `1-room bare p99 ${ms(fanout.bare.p99)}`,
  target: 'p99 < 20 ms',
  verdict: load.latency.p99 < 20 && load.errors === 0 ? 'met' : 'missed',
});
add({
  benchmark: 'load server CPU',
  figure: `${load.serverCpuPercent.toFixed(0)}% of one core`,
  baseline: '-',
  target: '-',
  verdict: 'info',
});
add({
  benchmark: 'memory per active room (signalling)',
  figure: `heap ${load.heapPerRoomKb.toFixed(0)} KB, RSS ${load.rssPerRoomKb.toFixed(0)} KB`,
  baseline: 'server with no rooms',
  target: '≤ 1 MB',
  verdict: load.rssPerRoomKb <= 1024 && load.heapPerRoomKb <= 1024 ? 'met' : 'missed',
});

/** A benchmark that fails leaves a row saying so, and the others still run. */
const attempt = async (benchmark: string, run: () => Promise<void>) => {
  try {
    await run();
  } catch (error) {
    console.error(error);
    add({ benchmark, figure: `failed: ${String((error as Error).message ?? error).split('\n')[0]!.slice(0, 160)}`, baseline: '-', target: '-', verdict: 'missed' });
  }
};

await attempt('capacity', async () => {
  const ladder = quick ? [50, 150, 300] : [50, 100, 150, 200, 300, 400];
  console.log(`\nCapacity curve (rooms of 13, 5 commands/s per room: ${ladder.join(', ')} rooms; bare Socket.IO relaying the same group view at each step)...`);
  const capacity = await measureCapacity({ ladder, measureMs: quick ? 5_000 : 15_000, onStep: (step) => console.log(`    ${describeStep(step)}`) });
  for (const { rooms, holdspace, bare } of capacity.steps) {
    add({
      benchmark: `capacity, ${rooms} rooms of 13`,
      figure: `p50 ${ms(holdspace.latency.p50)}, p99 ${ms(holdspace.latency.p99)}, server CPU ${holdspace.serverCpuPercent.toFixed(0)}% (machine ${holdspace.machineCpuPercent.toFixed(0)}%)${holdspace.errors ? `, ${holdspace.errors} errors` : ''}`,
      baseline: `bare Socket.IO p50 ${ms(bare.latency.p50)}, p99 ${ms(bare.latency.p99)}, CPU ${bare.serverCpuPercent.toFixed(0)}%`,
      target: `p99 < ${CAPACITY_P99_MS} ms`,
      verdict: holdspace.latency.p99 < CAPACITY_P99_MS && holdspace.errors === 0 ? 'met' : 'info',
    });
  }
  add({
    benchmark: `rooms of 13 per node at p99 < ${CAPACITY_P99_MS} ms`,
    figure: `${capacity.held.holdspace} (of the steps tried)${capacity.stoppedBy ? `; ladder stopped at ${capacity.stoppedBy}` : ''}`,
    baseline: `bare Socket.IO ${capacity.held.bare}`,
    target: '-',
    verdict: 'info',
  });
});
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const whole = (value: number) => `${value.toFixed(0)} ms`;

await attempt('Redis mode fan-out', async () => {
  console.log('\nRedis mode against in-memory mode (1 room, facilitator + 12 members; 1 node, then 2 nodes)...');
  const redis = await measureRedisFanout(quick ? { rounds: 3, block: 50, warmup: 50 } : {});
  add({
    benchmark: 'Redis mode vs in-memory fan-out p50',
    figure: `${ms(redis.single.p50)} (${ratio(redis.single.p50, redis.memory.p50)}; p99 ${ms(redis.single.p99)}, ${ratio(redis.single.p99, redis.memory.p99)}); 2 nodes, forwarded: ${ms(redis.pair.p50)} (${ratio(redis.pair.p50, redis.memory.p50)})`,
    baseline: `in memory ${ms(redis.memory.p50)} (p99 ${ms(redis.memory.p99)})`,
    target: '< 2x at p50',
    verdict: redis.single.p50 / redis.memory.p50 < 2 ? 'met' : 'missed',
  });
});

await attempt('group session start / end', async () => {
  console.log('\nA standing group\'s session (12 members, PGlite records): start with the records read, end with the record written; a plain room alongside...');
  const group = await measureGroupSession({ trials: quick ? 3 : 10 });
  add({
    benchmark: 'group session start',
    figure: `${ms(group.start)} median of ${group.trials} (${ratio(group.start, group.plainCreate)})`,
    baseline: `plain room created ${ms(group.plainCreate)}`,
    target: '-',
    verdict: 'info',
  });
  add({
    benchmark: 'group session end, record written',
    figure: `${ms(group.end)} median of ${group.trials} (${ratio(group.end, group.plainEnd)})`,
    baseline: `plain room ended ${ms(group.plainEnd)}`,
    target: '-',
    verdict: 'info',
  });
});

await attempt('join to first remote frame', async () => {
  console.log('\nJoin to first remote frame and audio (Chromium, fake devices; member 2, 6 and 12 of a room; bare mediasoup-client page alongside)...');
  // Ten joins of each: on a shared 2-core machine five leave the median ±15% from run to run.
  const join = await measureJoinMedia({ reps: quick ? 2 : 10 });
  for (const { member, holdspace, bare } of join.sizes) {
    const steps = (figures: typeof holdspace) => Object.entries(figures.steps).map(([step, at]) => `${step} ${at}`).join(' | ');
    console.log(`    member ${member}, ms from the join call: Holdspace: ${steps(holdspace)}\n                                       bare: ${steps(bare)}`);
    add({
      benchmark: `join → first remote frame, member ${member}`,
      figure: `${whole(holdspace.firstFrame)} (${ratio(holdspace.firstFrame, bare.firstFrame)}); all ${member - 1} visible ${whole(holdspace.allFrames)}`,
      baseline: `bare page ${whole(bare.firstFrame)}; all ${whole(bare.allFrames)}`,
      target: '≤ 1.1x',
      verdict: holdspace.firstFrame / bare.firstFrame <= 1.1 ? 'met' : 'missed',
    });
    add({
      benchmark: `join → first remote audio, member ${member}`,
      figure: `${whole(holdspace.firstAudio)} (${ratio(holdspace.firstAudio, bare.firstAudio)})`,
      baseline: `bare page ${whole(bare.firstAudio)}`,
      target: '≤ 1.1x',
      verdict: holdspace.firstAudio / bare.firstAudio <= 1.1 ? 'met' : 'missed',
    });
  }
});

await attempt('floor enforcement', async () => {
  console.log('\nFloor enforcement (stick handed from B to A; B\'s audio at 3 listener pages; B at the real client)...');
  const floor = await measureFloorSilence({ trials: quick ? 5 : 15 });
  add({
    benchmark: 'stick handed → silence at listeners',
    figure: `${whole(floor.grant.median)} median, ${whole(floor.grant.max)} max (SFU paused at ${whole(floor.grant.sfuPausedMedian)}; 50 ms-grained poll ${whole(floor.grant.polledMedian)})`,
    baseline: `bare producer.pause() ${whole(floor.pause.median)} median, ${whole(floor.pause.max)} max`,
    target: '< 50 ms',
    verdict: floor.grant.median < 50 ? 'met' : 'missed',
  });
  add({
    benchmark: 'stick handed → pause notice on the silenced member\'s screen (real client)',
    figure: `${whole(floor.grant.noticeMedian)} median, ${whole(floor.grant.noticeMax)} max`,
    baseline: `SFU paused at ${whole(floor.grant.sfuPausedMedian)} median, same trials`,
    target: '< 100 ms',
    verdict: floor.grant.noticeMax < 100 ? 'met' : 'missed',
  });
});

await attempt('end-to-end encryption', async () => {
  console.log('\nEnd-to-end encrypted media against plain (rooms of 3 real client pages, alternated)...');
  const e2ee = await measureE2ee(quick ? { reps: 2, windowMs: 5_000 } : {});
  const { plain, encrypted } = e2ee;
  add({
    benchmark: 'E2EE: join → first remote frame (last of 3 to join)',
    figure: `${whole(encrypted.joinToFirstFrameMs)} encrypted (${ratio(encrypted.joinToFirstFrameMs, plain.joinToFirstFrameMs)}), n=${encrypted.n}`,
    baseline: `plain ${whole(plain.joinToFirstFrameMs)}`,
    target: '-',
    verdict: 'info',
  });
  add({
    benchmark: 'E2EE: browser CPU per participant (all Chromium processes, frame workers included)',
    figure: `${encrypted.browserPercentPerParticipant.toFixed(1)}% of a core encrypted (${ratio(encrypted.browserPercentPerParticipant, plain.browserPercentPerParticipant)})`,
    baseline: `plain ${plain.browserPercentPerParticipant.toFixed(1)}%`,
    target: '-',
    verdict: 'info',
  });
  add({
    benchmark: 'E2EE: mediasoup worker CPU (room of 3)',
    figure: `${encrypted.workerPercent.toFixed(2)}% of a core encrypted`,
    baseline: `plain ${plain.workerPercent.toFixed(2)}%`,
    target: '-',
    verdict: 'info',
  });
});

await attempt('SFU cost', async () => {
  console.log('\nSFU cost (room of 6 Chromium pages, audio + simulcast video; then synthetic rooms on one worker)...');
  const sfu = await measureSfuCost(quick ? { windows: 1, windowMs: 6_000, capacitySteps: [1, 2, 4] } : {});
  add({
    benchmark: 'worker CPU per forwarded stream (room of 6)',
    figure: `${sfu.holdspace.perStreamPercent.toFixed(3)}% of a core (${sfu.holdspace.workerCpuPercent.toFixed(1)}% for ${sfu.holdspace.forwarded.toFixed(0)} streams, ${sfu.holdspace.packetsPerSecond.toFixed(0)} pkt/s, ${sfu.holdspace.microsPerPacket.toFixed(0)} µs/pkt)`,
    baseline: `bare router ${sfu.bare.perStreamPercent.toFixed(3)}% (${sfu.bare.workerCpuPercent.toFixed(1)}%, ${sfu.bare.packetsPerSecond.toFixed(0)} pkt/s, ${sfu.bare.microsPerPacket.toFixed(0)} µs/pkt)`,
    target: '-',
    verdict: 'info',
  });
  const last = sfu.capacity.steps.filter((s) => s.rooms <= sfu.capacity.held).at(-1);
  add({
    benchmark: 'rooms of 6 one worker holds',
    figure: `${sfu.capacity.held} without loss${last ? ` (worker ${last.workerCpuPercent.toFixed(0)}%, machine ${last.machinePercent.toFixed(0)}%, ${last.packetsPerSecond.toFixed(0)} pkt/s, ${last.megabitsPerSecond.toFixed(0)} Mbit/s out, ${(((last.workerCpuPercent / 100) * 1e6) / last.packetsPerSecond).toFixed(0)} µs/pkt)` : ''}; stopped by ${sfu.capacity.stoppedBy}; ~${sfu.capacity.projectedPerCore} per core at that cost`,
    baseline: 'synthetic rooms piped from 1 live room',
    target: '-',
    verdict: 'info',
  });
});

await attempt('video downlink', async () => {
  console.log('\nVideo downlink with receiver-side adaptation on and off (circle of 13 seats, 6 on camera with a 1280x720 moving clip, one measured on the room page at 1920x1080)...');
  const video = await measureVideoDownlink(quick ? { settleMs: 8_000, windowMs: 5_000 } : {});
  const kbit = (value: number) => `${value.toFixed(0)} kbit/s`;
  const member = (room: typeof video.on) =>
    `${kbit(room.totalKbps)} in all: floor holder ${kbit(room.holder.kbps)} at ${room.holder.frameWidth} px, small tile ${kbit(room.small.kbps)} at ${room.small.frameWidth} px, microphone ${kbit(room.audioStreamKbps)}; load ${room.load.toFixed(1)}`;
  add({
    benchmark: 'downlink of a member on the room page, 5 others on camera',
    figure: member(video.on),
    baseline: `adaptation off ${member(video.off)}`,
    target: 'below off',
    verdict: video.on.totalKbps < video.off.totalKbps ? 'met' : 'missed',
  });
  const { holder } = video.on;
  const layers = video.layers.holder.map((l) => `layer ${l.layer} ${kbit(l.kbps)} at ${l.frameWidth} px`).join(', ');
  add({
    benchmark: 'downlink of a member in a circle of 13 (computed from per-layer rates measured in a room of 3)',
    figure: `${(video.circleOf13.on / 1000).toFixed(2)} Mbit/s with audio, floor holder at the layer its ${holder.tileCssWidth} px tile gets at ${video.viewport} (${(video.circleOf13.onMiddle / 1000).toFixed(2)} at the middle layer, ${(video.circleOf13.allHeard / 1000).toFixed(2)} with all 12 microphones sounding); rates: ${layers}, small tile ${kbit(video.layers.small.kbps)} (heard ${kbit(video.layers.smallHeard.kbps)}), microphone ${kbit(video.layers.audioKbps)}; load ${video.layers.load.toFixed(1)}`,
    baseline: `adaptation off ${(video.circleOf13.off / 1000).toFixed(2)} Mbit/s`,
    target: '≤ 2.5 Mbit/s, floor holder’s tile ≥ 640 px at ≥ the middle layer',
    verdict: video.circleOf13.on <= 2500 && holder.tileCssWidth >= 640 && video.layers.holder.every((l) => l.layer === 0 || (l.sfuLayer ?? 0) >= 1) ? 'met' : 'missed',
  });
  add({
    benchmark: 'the floor holder on the room page of 6 (1920x1080, this machine)',
    figure: `tile ${holder.tileCssWidth} px, received at ${holder.frameWidth} px (SFU layer ${holder.sfuLayer}, preferred ${holder.preferredLayer}); holder's estimate ${video.on.holderSends.availableOutgoingKbps} kbit/s, loss ${video.on.holderSends.lossPercent} %, RTT ${video.on.holderSends.rttMs} ms`,
    baseline: `tile width at other windows: ${Object.entries(video.on.holderTileAt).map(([size, width]) => `${size} ${width} px`).join(', ')}`,
    target: 'SFU layer ≥ 1',
    verdict: (holder.sfuLayer ?? 0) >= 1 ? 'met' : 'missed',
  });
});

await attempt('memory and soak', async () => {
  const minutes = Number(process.env.SOAK_MINUTES ?? (quick ? 1 : 5));
  console.log(`\nMemory per room of 13 with media, then a ${minutes}-minute soak of rooms opening and closing...`);
  const memory = await measureMemorySoak({ rooms: quick ? 4 : 10, soakMinutes: minutes });
  const kbs = (value: number) => `${value.toFixed(0)} KB`;
  // RSS can end below its baseline when the allocator hands pages back: then it says nothing per room.
  const rss = (value: number) => (value < 0 ? 'RSS below its baseline (pages returned)' : `RSS ${kbs(value)}`);
  add({
    benchmark: 'memory per active room of 13 (media)',
    figure: `heap ${kbs(memory.media.heapKb)}, ${rss(memory.media.rssKb)}, worker RSS ${kbs(memory.media.workerRssKb)}`,
    baseline: `signalling only: heap ${kbs(memory.signalling.heapKb)}, ${rss(memory.signalling.rssKb)}`,
    target: '-',
    verdict: 'info',
  });
  const { soak } = memory;
  const objects = soak.final.counts.transports + soak.final.counts.producers + soak.final.counts.consumers;
  add({
    benchmark: `soak ${soak.minutes} min: ${soak.roomsOpened} rooms, ${soak.joins} joins, ${soak.leaves} leaves`,
    figure: `after GC: JS objects ${kbs(soak.jsObjectsKb)} (heapUsed ${kbs(soak.final.heapKb - soak.baseline.heapKb)}, of which V8 compiled code ${kbs(soak.compiledCodeKb)}), RSS ${kbs(soak.final.rssKb - soak.baseline.rssKb)} (while busy it rose ${soak.rssClimbPercent.toFixed(0)}% from the first sample to the last), worker RSS ${kbs(soak.final.workerRssKb - soak.baseline.workerRssKb)}; ${objects} transports/producers/consumers, ${soak.final.counts.routers - soak.baseline.counts.routers} routers, ${soak.final.counts.roomsLoaded - soak.baseline.counts.roomsLoaded} rooms left; an ended room holds ${kbs(soak.heapPerEndedRoomKb)} until unloaded`,
    baseline: 'before the first soak room',
    target: 'no leak: objects back, all closed, RSS levels off',
    verdict: soak.leaked ? 'missed' : 'met',
  });
});

await attempt('client', async () => {
  console.log('\nClient: initial JavaScript, pre-join time to interactive...');
  const client = await measureClient({ loads: quick ? 4 : 10 });
  add({
    benchmark: 'initial JavaScript (gzip)',
    figure: `${client.initialJsGzipKb.toFixed(1)} KB in ${client.initialChunks} chunk(s) (${client.initialJsKb.toFixed(0)} KB raw; heaviest: ${client.heaviest.slice(0, 3).map((h) => h.name).join(', ')}); an invite link loads ${client.joinPathJsGzipKb.toFixed(1)} KB before the pre-join page, the room ${client.roomJsGzipKb.toFixed(1)} KB more`,
    baseline: '-',
    target: '-',
    verdict: 'info',
  });
  add({
    benchmark: 'pre-join time to interactive',
    figure: `${whole(client.tti.holdspace)} (${ratio(client.tti.holdspace, client.tti.bare)}; script ran at ${whole(client.tti.phases.scriptRan)}, invite checked at ${whole(client.tti.phases.apiEnd)})`,
    baseline: `bare static page ${whole(client.tti.bare)}`,
    target: '-',
    verdict: 'info',
  });
});

console.log('\n| benchmark | figure | baseline (same run) | target | verdict |\n| --- | --- | --- | --- | --- |');
for (const row of rows) console.log(`| ${row.benchmark} | ${row.figure} | ${row.baseline} | ${row.target} | ${row.verdict} |`);
process.exit(0);
