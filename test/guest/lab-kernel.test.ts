// What the guided labs need from the guest's kernel and busybox (scripts/guest/kernel.config,
// issue 10): namespaces, cgroup v2 with the cpu, memory and pids controllers, ext2 and the
// container tools, each shown working in the real guest (restored from the snapshot as the
// page does, commands run through lab-agent's probes).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { V86Backend } from '../../src/features/pc/v86';
import { builtMachine, readGuestFiles } from './harness';
import { serveSite, type SiteServer } from './v86-page';

let site: SiteServer;
let backend: V86Backend;

beforeAll(async () => {
  readGuestFiles(['state']); // fails with the build command if missing
  site = await serveSite();
  backend = new V86Backend({ assetBase: '/guest/', machine: builtMachine() });
  await backend.start(new AbortController().signal, 'snapshot');
  await vi.waitFor(() => expect(backend.status.state).toBe('running'), { timeout: 20_000 });
});

afterAll(async () => {
  await backend?.dispose();
  await site?.close();
});

const run = (script: string) => backend.probe(script);

describe('the guest for guided labs', () => {
  it('has the container tools in busybox', async () => {
    const answer = await run('for t in unshare nsenter chroot mke2fs mkfs.ext2 mkswap swapon losetup; do command -v $t; done');
    expect(answer.output.trim().split('\n')).toHaveLength(8);
  });

  it('gives a new PID namespace its own process 1', async () => {
    const answer = await run("unshare -p -f -m --mount-proc sh -c 'echo $$; ps | wc -l'");
    expect(answer.exitCode).toBe(0);
    const [pid, lines] = answer.output.trim().split('\n');
    expect(pid).toBe('1');
    expect(Number(lines)).toBeLessThan(5); // header, sh, ps, wc: none of the host's processes
  });

  it('isolates the host name in a UTS namespace, and nsenter reaches it from outside', async () => {
    const inside = await run("unshare -u sh -c 'hostname wadah; hostname'; hostname");
    expect(inside.output).toBe('wadah\nlab\n');
    const entered = await run(
      "unshare -u sh -c 'hostname dalam; sleep 3' & sleep 1; nsenter -t $! -u hostname; for f in /proc/$!/ns/uts /proc/self/ns/uts; do readlink $f; done | uniq | wc -l; kill $!",
    );
    expect(entered.output).toBe('dalam\n2\n');
  });

  it('gives network and IPC namespaces of their own', async () => {
    for (const kind of ['net', 'ipc']) {
      const answer = await run(`unshare --${kind} readlink /proc/self/ns/${kind}; readlink /proc/self/ns/${kind}`);
      const [inside, outside] = answer.output.trim().split('\n');
      expect(inside).toMatch(new RegExp(`^${kind}:\\[\\d+\\]$`));
      expect(inside).not.toBe(outside);
    }
    // A new network namespace starts with only its own loopback device.
    expect((await run('unshare -n ip -o link')).output).toMatch(/^1: lo: [^\n]*\n$/);
  });

  it('runs a shell in a chroot', async () => {
    const answer = await run(
      'rm -rf /tmp/akar && mkdir -p /tmp/akar/bin /tmp/akar/proc && cp /bin/busybox /tmp/akar/bin/ && ' +
        "echo rumah > /tmp/akar/penanda && chroot /tmp/akar /bin/busybox sh -c '/bin/busybox cat /penanda; /bin/busybox ls /'",
    );
    expect(answer.output).toBe('rumah\nbin\npenanda\nproc\n');
  });

  it('has cgroup v2 at /sys/fs/cgroup with the cpu, memory and pids controllers', async () => {
    const answer = await run('grep cgroup2 /proc/mounts; cat /sys/fs/cgroup/cgroup.controllers');
    expect(answer.output).toMatch(/^cgroup2 \/sys\/fs\/cgroup cgroup2 /m);
    expect(answer.output.trim().split('\n').at(-1)?.split(' ').sort()).toEqual(expect.arrayContaining(['cpu', 'memory', 'pids']));
    const cpu = await run(
      'echo +cpu > /sys/fs/cgroup/cgroup.subtree_control && mkdir -p /sys/fs/cgroup/lambat && ' +
        'echo "10000 100000" > /sys/fs/cgroup/lambat/cpu.max && cat /sys/fs/cgroup/lambat/cpu.max',
    );
    expect(cpu.output).toBe('10000 100000\n');
  });

  it('kills a hungry process at its cgroup memory.max', async () => {
    const answer = await run(
      'echo +memory > /sys/fs/cgroup/cgroup.subtree_control && mkdir -p /sys/fs/cgroup/lapar && ' +
        'echo 4M > /sys/fs/cgroup/lapar/memory.max && ' +
        `sh -c 'echo $$ > /sys/fs/cgroup/lapar/cgroup.procs; exec awk "BEGIN { s = \\"x\\"; while (1) s = s s }"'; ` +
        'echo "exit $?"; grep oom_kill /sys/fs/cgroup/lapar/memory.events',
    );
    expect(answer.output).toMatch(/^exit 137$/m); // SIGKILL from the OOM killer
    expect(answer.output).toMatch(/^oom_kill 1$/m);
  });

  it('refuses forks beyond a cgroup pids.max', async () => {
    const answer = await run(
      'echo +pids > /sys/fs/cgroup/cgroup.subtree_control && mkdir -p /sys/fs/cgroup/sedikit && ' +
        'echo 3 > /sys/fs/cgroup/sedikit/pids.max && ' +
        "sh -c 'echo $$ > /sys/fs/cgroup/sedikit/cgroup.procs; for i in 1 2 3 4 5; do sleep 1 & done; wait' 2>&1; " +
        'cat /sys/fs/cgroup/sedikit/pids.events',
    );
    expect(answer.output).toMatch(/can't fork/);
    expect(answer.output).toMatch(/^max [1-9]\d*$/m);
  });

  it('makes an ext2 filesystem in a file and mounts it through a loop device', async () => {
    // One step per probe, as a lab's checks would see them: each stays well inside the guest's time limit.
    const made = await run('dd if=/dev/zero of=/tmp/disk.img bs=1k count=2048 2>/dev/null && mkfs.ext2 -L praktik /tmp/disk.img');
    expect(made.exitCode).toBe(0);
    const mounted = await run(
      'mkdir -p /mnt/disk && mount -o loop /tmp/disk.img /mnt/disk && echo halo > /mnt/disk/berkas && ' +
        'grep " /mnt/disk " /proc/mounts && cat /mnt/disk/berkas',
    );
    expect(mounted.output).toMatch(/^\/dev\/loop\d+ \/mnt\/disk ext2 /m);
    expect(mounted.output).toMatch(/^halo$/m);
    expect(mounted.exitCode).toBe(0);
    expect(await run('umount /mnt/disk')).toMatchObject({ exitCode: 0 });
  });
});
