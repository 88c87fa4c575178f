// CPU time and memory of processes (the mediasoup workers) and of the machine, from /proc.
import { readFileSync } from 'node:fs';

/** Linux reports process CPU times in clock ticks of 1/100 s (getconf CLK_TCK). */
const TICK_MS = 10;

/** CPU time (user + system) this process has used so far, in ms. */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at the state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Resident memory of this process, in bytes. */
export function processRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** The machine's CPU time so far: busy and total, in ticks over all cores. */
export function machineCpu(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1, 9).map(Number) as number[];
  const busy = user! + nice! + system! + irq! + softirq! + steal!;
  return { busy, total: busy + idle! + iowait! };
}

/** Measure a process's CPU (% of one core) and the machine's (% of all cores) over `ms`. */
export async function cpuOver(pid: number, ms: number): Promise<{ processPercent: number; machinePercent: number }> {
  const [cpu0, machine0, t0] = [processCpuMs(pid), machineCpu(), performance.now()];
  await new Promise((resolve) => setTimeout(resolve, ms));
  const [cpu1, machine1, t1] = [processCpuMs(pid), machineCpu(), performance.now()];
  return { processPercent: ((cpu1 - cpu0) / (t1 - t0)) * 100, machinePercent: ((machine1.busy - machine0.busy) / (machine1.total - machine0.total)) * 100 };
}
