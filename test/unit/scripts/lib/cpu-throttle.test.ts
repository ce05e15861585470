// The benchmark's slow-CPU stand-in (scripts/lib/cpu-throttle.ts): finding a browser's processes,
// and, where this machine lets us make a CPU cgroup, that a busy process in it really slows down.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cpuThrottle, descendants } from '../../../../scripts/lib/cpu-throttle';

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** CPU time (user + system, in clock ticks) a process has used, from /proc. */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

describe('cpu throttle', () => {
  it('finds a child and its grandchild, and not this process', async () => {
    const child = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore' });
    children.push(child);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const found = descendants(process.pid);
    expect(found).toContain(child.pid);
    const grandchildren = descendants(child.pid ?? -1);
    expect(grandchildren).toHaveLength(1);
    expect(found).toContain(grandchildren[0]);
    expect(found).not.toContain(process.pid);
  });

  it('slows a busy process in it well below one beside it', async (context) => {
    const throttle = cpuThrottle(4, `labvirt-test-${process.pid}`, 1);
    if ('unavailable' in throttle) {
      context.skip(`no CPU cgroup can be made here: ${throttle.unavailable}`);
      return;
    }
    try {
      const busy = () => {
        const child = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
        children.push(child);
        return child.pid ?? -1;
      };
      const [limited, free] = [busy(), busy()];
      throttle.add(limited);
      const before = [cpuTicks(limited), cpuTicks(free)];
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const limitedUsed = cpuTicks(limited) - (before[0] ?? 0);
      const freeUsed = cpuTicks(free) - (before[1] ?? 0);
      // A quarter of one core at most (100 ticks a second), and well below its unlimited twin,
      // whatever else loads the machine.
      expect(limitedUsed).toBeGreaterThan(0);
      expect(limitedUsed / 2 / 100).toBeLessThan(0.35);
      expect(limitedUsed).toBeLessThan(freeUsed * 0.7);
      for (const child of children.splice(0)) child.kill('SIGKILL');
    } finally {
      throttle.release();
    }
  });
});
