import { describe, expect, it } from 'vitest';
import { CpuController } from '../../../../src/features/simulator/cpu-controller';
import { MemoryController } from '../../../../src/features/simulator/memory-controller';
import { cpuLook, densityLook, memoryLook, overcommitLook } from '../../../../src/features/simulator/look-here';
import { DEFAULT_OVERCOMMIT, overcommitView } from '../../../../src/features/simulator/overcommit-view';
import { DEFAULT_DENSITY_CONTROLS, densityView } from '../../../../src/features/simulator/density-view';
import { SIM_GROUPS, simText } from '../../../../src/features/simulator/strings';
import type { Locale } from '../../../../src/i18n/locale';
import { fakeScheduler } from './fake-scheduler';

const cpuText = (locale: Locale) => simText(locale, SIM_GROUPS['cpu-flaw']);
const memText = (locale: Locale) => simText(locale, SIM_GROUPS.memory);

const cpu = (options: Partial<ConstructorParameters<typeof CpuController>[0]> = {}) =>
  new CpuController({ locale: 'id', scheduler: fakeScheduler(), yieldFn: () => Promise.resolve(), ...options });

/** Steps until the last step's trace holds an event of `kind` (or gives up). */
function stepUntil(c: CpuController, kind: string, limit = 400): void {
  for (let i = 0; i < limit; i++) {
    c.step();
    if (c.snapshot.lastStep?.some((e) => e.kind === kind)) return;
  }
  throw new Error(`no ${kind} within ${limit} steps`);
}

describe('cpuLook: the one thing the last CPU step did', () => {
  it('before any step it says where to press, in both languages', () => {
    const c = cpu();
    expect(cpuLook(c.snapshot, cpuText('id'))).toContain('Langkah');
    expect(cpuLook(c.snapshot, cpuText('en'))).toContain('Step');
  });

  it('a trapped privileged instruction names the trap, its instruction and its reason', () => {
    // The tiny kernel's second instruction (MTCR) is privileged: it traps under trap-and-emulate.
    const c = cpu({ guestId: 'tiny-kernel', strategy: 'trap-and-emulate' });
    c.step();
    expect(cpuLook(c.snapshot, cpuText('id'))).toMatch(/dijalankan langsung di CPU/);
    c.step();
    expect(cpuLook(c.snapshot, cpuText('id'))).toMatch(/^Trap ke monitor: MTCR .*\(register kontrol \(MFCR\/MTCR\)\) → monitor/);
    expect(cpuLook(c.snapshot, cpuText('en'))).toMatch(/^Trap to the monitor: MTCR .*→ the monitor emulates it\.$/);
  });

  it('under hardware assist an OUT is a VM exit the hypervisor emulates', () => {
    const c = cpu({ guestId: 'tiny-kernel', strategy: 'hardware-assisted' });
    stepUntil(c, 'exit');
    const event = c.snapshot.lastStep?.find((e) => e.kind === 'exit');
    const line = cpuLook(c.snapshot, cpuText('id'));
    expect(line).toMatch(/^VM exit: /);
    expect(line).toContain(event?.text ?? '?');
    expect(line).toContain('hypervisor mengemulasikannya');
  });

  it('lesson 5: the step where POPF silently differs from native outranks everything', () => {
    const c = cpu({ guestId: 'popf-flaw', strategy: 'trap-and-emulate', reference: true });
    for (let i = 0; i < 400 && c.snapshot.reference?.divergence == null; i++) c.step();
    const divergence = c.snapshot.reference?.divergence;
    expect(divergence?.afterText).toMatch(/^POPF/);
    expect(cpuLook(c.snapshot, cpuText('id'))).toBe(
      `⚠ ${divergence?.afterText} tidak trap, padahal keadaan guest kini berbeda dari native: ${divergence?.fields.join(', ')}.`,
    );
    // One step later the difference is old news: the line is about the new instruction again.
    c.step();
    expect(cpuLook(c.snapshot, cpuText('en'))).not.toMatch(/^⚠/);
  });

  it('while running it holds still, and a run or reset forgets the last step', () => {
    const c = cpu({ guestId: 'tiny-kernel' });
    c.step();
    c.run();
    expect(cpuLook(c.snapshot, cpuText('en'))).toMatch(/^Running/);
    c.pause();
    expect(cpuLook(c.snapshot, cpuText('en'))).toMatch(/^Paused/);
    c.reset();
    expect(c.snapshot.lastStep).toBeNull();
  });
});

describe('memoryLook: which level of the walk and why', () => {
  it('walks a nested 4×4 TLB miss through host tables, guest tables and the data', () => {
    const c = new MemoryController({
      scheduler: fakeScheduler(),
      config: { mode: 'nested', guestLevels: 4, hostLevels: 4, walkCaches: false },
    });
    const text = memText('id');
    expect(memoryLook(c.snapshot, text)).toContain('Langkah');
    const lines: string[] = [];
    // Step to the first access that reads data after a walk.
    for (let i = 0; i < 200; i++) {
      c.step();
      lines.push(memoryLook(c.snapshot, text));
      if (c.snapshot.result?.references[c.snapshot.revealed - 1]?.kind === 'data' && c.snapshot.walkRevealed > 0) break;
    }
    expect(lines).toContain(
      'Tabel host (EPT) tingkat 1 dari 4: menerjemahkan alamat tabel guest tingkat 1 ke alamat fisik host.',
    );
    expect(lines).toContain('Tabel guest tingkat 1 dari 4: entrinya dibaca di alamat yang baru diterjemahkan EPT.');
    expect(lines).toContain('Tabel host (EPT) tingkat 4 dari 4: menerjemahkan alamat data ke alamat fisik host.');
    // A full two-dimensional walk: (4+1)(4+1) − 1 = 24 references before the data.
    expect(lines.at(-1)).toBe('Data dibaca, setelah 24 referensi page walk.');
    expect(memoryLook(c.snapshot, memText('en'))).toBe('Data read, after 24 page-walk references.');
  });

  it('shadow paging: the hardware reads the hypervisor’s tables', () => {
    const c = new MemoryController({ scheduler: fakeScheduler(), config: { mode: 'shadow', guestLevels: 4 } });
    const lines: string[] = [];
    for (let i = 0; i < 200 && lines.length < 200; i++) {
      c.step();
      lines.push(memoryLook(c.snapshot, memText('en')));
    }
    expect(lines.some((l) => l.startsWith('Shadow table level 1 of 4'))).toBe(true);
  });
});

describe('overcommitLook and densityLook: which result moved, from what to what', () => {
  it('overcommit: turning ballooning off is told by the figure that moved most', () => {
    const before = overcommitView(DEFAULT_OVERCOMMIT, 640).summary;
    const after = overcommitView({ ...DEFAULT_OVERCOMMIT, ballooning: false }, 640).summary;
    expect(overcommitLook(null, before, simText('id', ['oc']), 'id')).toContain('Geser slider');
    const line = overcommitLook(before, after, simText('id', ['oc']), 'id');
    expect(line).toMatch(/^[^:]+: .+ → .+$/);
    expect(line).not.toBe(overcommitLook(before, before, simText('id', ['oc']), 'id'));
    expect(overcommitLook(before, before, simText('en', ['oc']), 'en')).toBe('The 48-hour results did not change.');
  });

  it('overcommit: more VMs on the same host raise the steal time, written in the page language', () => {
    const before = overcommitView(DEFAULT_OVERCOMMIT, 640).summary;
    const after = { ...before, peakStealPercent: before.peakStealPercent + 20 };
    const fmt = (v: number, l: string) =>
      `${new Intl.NumberFormat(l, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v)}%`;
    expect(overcommitLook(before, after, simText('id', ['oc']), 'id')).toBe(
      `Steal time tertinggi: ${fmt(before.peakStealPercent, 'id-ID')} → ${fmt(after.peakStealPercent, 'id-ID')}`,
    );
  });

  it('density: more RAM per app fits fewer of both', () => {
    const before = densityView(DEFAULT_DENSITY_CONTROLS, 640);
    const after = densityView({ ...DEFAULT_DENSITY_CONTROLS, appRamMiB: DEFAULT_DENSITY_CONTROLS.appRamMiB * 4 }, 640);
    const en = densityLook(before, after, simText('en', ['den']), 'en');
    expect(en).toContain(`VMs that fit: ${before.vm.maxInstances} → ${after.vm.maxInstances}`);
    expect(en).toContain(`Containers that fit: ${before.container.maxInstances} → ${after.container.maxInstances}`);
    expect(densityLook(before, before, simText('id', ['den']), 'id')).toBe('Jumlah yang muat tidak berubah.');
  });
});
