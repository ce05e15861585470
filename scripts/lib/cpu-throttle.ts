/**
 * Slows a whole process tree down, for benchmarks that stand in for a slow school laptop.
 * Chromium's own CPU throttling (DevTools `Emulation.setCPUThrottlingRate`) slows only a page's
 * main thread: a Web Worker keeps full speed ("Operation is only supported for pages, not
 * workers"), so it would flatter any work moved into a worker. A CPU cgroup with a quota slows
 * every thread of every process in it alike, as a slower CPU does.
 *
 * The quota stands for a dual-core laptop whose cores are `rate` times slower than one of this
 * host's: 2/rate of a core for the whole browser, over a short period (4 ms) so a thread waits
 * at most a few milliseconds for its turn instead of the 100 ms stalls of the default period.
 * When two threads are busy each gets 1/rate of a core, as on that laptop; a single busy thread
 * may get up to 2/rate, which flatters it, so the report names the method.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PERIOD_US = 4000;

export interface CpuThrottle {
  /** How the tree is slowed, for the benchmark's report. */
  readonly method: string;
  /** Moves a process (and what it starts from now on) under the limit. */
  add(pid: number): void;
  /** Moves every process still under the limit back and removes the cgroup. */
  release(): void;
}

/** Every descendant of `pid` (from /proc, by parent pid), `pid` itself excluded. */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces and parentheses: the parent pid follows the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  const queue = [...(parents.get(pid) ?? [])];
  while (queue.length > 0) {
    const next = queue.pop() as number;
    found.push(next);
    queue.push(...(parents.get(next) ?? []));
  }
  return found;
}

/**
 * A cgroup limiting its processes to 1/`rate` of one core, or the reason none can be made here
 * (not root, no CPU controller).
 */
export function cpuThrottle(
  rate: number,
  name = `labvirt-bench-${process.pid}`,
  cores = 2,
): CpuThrottle | { unavailable: string } {
  const quota = Math.max(1000, Math.round((PERIOD_US * cores) / rate));
  const share = `${cores}/${rate} of a core for the whole browser: ${cores} cores ${rate}× slower`;
  const write = (file: string, value: string) => writeFileSync(file, value);
  const move = (procs: string, pid: number) => {
    try {
      write(procs, String(pid));
    } catch {
      // It ended meanwhile.
    }
  };
  const release = (dir: string, parentProcs: string) => () => {
    // A process that just died may stay listed until it is reaped: retry for up to a second.
    for (let attempt = 0; ; attempt++) {
      for (const pid of readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
        move(parentProcs, Number(pid));
      }
      try {
        rmdirSync(dir);
        return;
      } catch (error) {
        if (attempt >= 100) throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      }
    }
  };
  try {
    // cgroup v2: one hierarchy; the cpu controller must be enabled for the root's children.
    if (existsSync('/sys/fs/cgroup/cgroup.controllers')) {
      if (!readFileSync('/sys/fs/cgroup/cgroup.controllers', 'utf8').split(/\s+/).includes('cpu')) {
        return { unavailable: 'cgroup v2 without the cpu controller' };
      }
      write('/sys/fs/cgroup/cgroup.subtree_control', '+cpu');
      const dir = `/sys/fs/cgroup/${name}`;
      mkdirSync(dir);
      write(path.join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`);
      return {
        method: `cgroup v2 cpu.max ${quota} µs per ${PERIOD_US} µs (${share})`,
        add: (pid) => move(path.join(dir, 'cgroup.procs'), pid),
        release: release(dir, '/sys/fs/cgroup/cgroup.procs'),
      };
    }
    if (existsSync('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')) {
      const dir = `/sys/fs/cgroup/cpu/${name}`;
      mkdirSync(dir);
      write(path.join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
      write(path.join(dir, 'cpu.cfs_quota_us'), String(quota));
      return {
        method: `cgroup v1 cpu.cfs_quota_us ${quota} per cpu.cfs_period_us ${PERIOD_US} (${share})`,
        add: (pid) => move(path.join(dir, 'cgroup.procs'), pid),
        release: release(dir, '/sys/fs/cgroup/cpu/cgroup.procs'),
      };
    }
    return { unavailable: 'no cgroup CPU controller mounted at /sys/fs/cgroup' };
  } catch (error) {
    return { unavailable: `cannot make a CPU cgroup here: ${error instanceof Error ? error.message : String(error)}` };
  }
}
