// One hardened start for every QEMU the bridge runs: the course guest and the micro-run.
import { describe, expect, it } from 'vitest';
import { COURSE_MACHINES_DIR, loadMachines } from '../../../src/kvm-bridge/machines.ts';
import { microQemuArgs } from '../../../src/kvm-bridge/micro-qemu.ts';
import { buildQemuArgs, hardenedQemuArgs } from '../../../src/kvm-bridge/qemu-args.ts';

const lab = loadMachines(COURSE_MACHINES_DIR).get('linux-guest');
const sockets = { qmpSocket: '/t/qmp.sock', serialSocket: '/t/console.sock' };

describe('hardenedQemuArgs', () => {
  const base = hardenedQemuArgs({ name: 'lab-x', machine: 'pc', accel: 'kvm', memoryMiB: 64, ...sockets });
  const after = (flag: string): string | undefined => base[base.indexOf(flag) + 1];

  it('sandboxes QEMU and takes nothing from the host: no default devices, no config, no display', () => {
    expect(base.slice(0, 4)).toEqual([
      '-nodefaults',
      '-no-user-config',
      '-sandbox',
      'on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny',
    ]);
    expect(after('-display')).toBe('none');
    expect(base).toEqual(expect.arrayContaining(['-no-reboot', '-S']));
    expect(base.join(' ')).not.toMatch(/tcp:|0\.0\.0\.0|-netdev|-kernel|-bios/);
  });

  it('puts the given machine, accelerator, memory and private sockets in place', () => {
    expect([after('-name'), after('-machine'), after('-accel'), after('-m'), after('-smp')]).toEqual([
      'lab-x',
      'pc',
      'kvm',
      '64',
      '1',
    ]);
    expect(base).toContain('socket,id=qmp,path=/t/qmp.sock,server=on,wait=off');
    expect(base).toContain('socket,id=console,path=/t/console.sock,server=on,wait=off');
  });

  it('starts both launchers’ command lines: the course guest’s and the micro-run’s', () => {
    if (!lab) throw new Error('machines/linux-guest.yaml missing');
    for (const accel of ['tcg', 'kvm'] as const) {
      const guest = buildQemuArgs(lab, 'virtio', accel, { kernel: '/g/bzImage', scratchDisks: ['/t/s0.img'], ...sockets });
      const expected = hardenedQemuArgs({
        name: 'lab-linux-guest',
        machine: lab.guest.machine,
        accel,
        memoryMiB: lab.guest.memoryMiB,
        ...sockets,
      });
      expect(guest.slice(0, expected.length)).toEqual(expected);
    }
    const micro = microQemuArgs({ rom: '/d/micro.rom', ...sockets });
    const expected = hardenedQemuArgs({ name: 'lab-micro-guest', machine: 'pc', accel: 'tcg', memoryMiB: 16, ...sockets });
    expect(micro.slice(0, expected.length)).toEqual(expected);
  });
});
