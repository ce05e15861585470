// The commands lessons give for the browser PC, run in the real guest (v86 under Node,
// restored from the boot snapshot as the browser does). Every `<HandsOn kind="machine" live>`
// box of every lesson, in both languages: each line of its ```sh blocks must succeed, the
// first command shown above the machine must be one of them, and what the prose says the
// learner will see must be what the guest prints.
import { afterEach, describe, expect, it } from 'vitest';
import { lessonKeys, readLessonFile } from '../support/content';
import { readLesson, type PcBox } from '../support/lesson-tree';
import { NodeGuest, builtMachine, readGuestFiles } from './harness';

interface LessonBox extends PcBox {
  key: string;
  locale: 'id' | 'en';
}

/** Every browser-PC box of every lesson, read from the MDX tree. */
function pcBoxes(): LessonBox[] {
  return lessonKeys().flatMap((key) =>
    (['id', 'en'] as const).flatMap((locale) =>
      readLesson(readLessonFile(key, locale)?.body ?? '').pcBoxes.map((box) => ({ key, locale, ...box })),
    ),
  );
}

/**
 * What a lesson's prose promises the learner will see (inline code, so the same in both
 * languages): each fragment must be in the box's text and in the guest's output.
 */
const PROMISED: Record<string, string[]> = {
  '01-apa-itu-virtualisasi': ['i686', 'flags', 'hypervisor', 'Hypervisor detected'],
  '02-berbagi-sumber-daya': ['/dev/loop0', 'loop0: detected capacity change', 'loop0', '/dev/loop1', 'Swap:'],
  '05-virtualisasi-cpu': ['hypervisor_bit: yes', 'hypervisor_vendor: VMwareVMware', 'vmx: no', 'Hypervisor detected: VMware'],
  '06-kvm': ['hypervisor_bit: yes', 'hypervisor_vendor: VMwareVMware', 'vmx: no', 'Hypervisor detected: VMware'],
};

/**
 * Further claims in the prose that are not in a code block, checked after the box's
 * commands ran, each checking the prose says it and the guest does it.
 */
const FOLLOW_UPS: Record<string, (guest: NodeGuest, box: LessonBox) => Promise<void>> = {
  '02-berbagi-sumber-daya': async (guest, box) => {
    // "busybox has no lsblk and no swapon --show": both really fail here.
    expect(box.text).toContain('`lsblk`');
    expect((await guest.run('lsblk')).status).not.toBe(0);
    expect((await guest.run('swapon --show')).status).not.toBe(0);
    // "mount -o loop kursus.iso /mnt creates the loop device and mounts it in one step".
    expect(box.text).toContain('`mount -o loop kursus.iso /mnt`');
    expect((await guest.run('mount -o loop kursus.iso /mnt && losetup -a')).output).toMatch(/^\/dev\/loop\d+: .*kursus\.iso$/m);
    // "touch /mnt/… is refused with Read-only file system".
    const touch = /`(touch \/mnt\/\w+)`/.exec(box.text)?.[1] ?? 'touch /mnt/x';
    const refused = await guest.run(touch);
    expect(refused.status).not.toBe(0);
    expect(box.text).toContain('`Read-only file system`');
    expect(refused.output).toContain('Read-only file system');
    expect((await guest.run('umount /mnt')).status).toBe(0);
  },
};

const boxes = pcBoxes();

/**
 * Commands a lesson with a browser-PC box promises in its objectives (inline code): the
 * learner practises them on this machine, so each must exist here, and one given with only
 * options or absolute paths (`free -h`, `cat /proc/swaps`) must run as written.
 */
function objectiveCommands(): { key: string; locale: 'id' | 'en'; code: string }[] {
  const withBox = new Set(boxes.map((b) => b.key));
  return lessonKeys()
    .filter((key) => withBox.has(key))
    .flatMap((key) =>
      (['id', 'en'] as const).flatMap((locale) => {
        const objectives = (readLessonFile(key, locale)?.frontmatter as { objectives?: string[] }).objectives ?? [];
        return objectives.flatMap((o) => [...o.matchAll(/`([^`]+)`/g)].map((m) => ({ key, locale, code: m[1] ?? '' })));
      }),
    );
}
let guest: NodeGuest | null = null;

afterEach(async () => {
  await guest?.destroy();
  guest = null;
});

describe('hands-on boxes with the browser PC', () => {
  it('exist where the course teaches with the machine, in both languages', () => {
    const placed = boxes.map((b) => `${b.key}/${b.locale}`);
    for (const key of Object.keys(PROMISED)) {
      expect(placed).toContain(`${key}/id`);
      expect(placed).toContain(`${key}/en`);
    }
    for (const box of boxes) {
      expect(box.commands.length, `${box.key}/${box.locale} gives commands`).toBeGreaterThan(0);
      expect(box.pcs, `${box.key}/${box.locale} places the machine`).toBe(1);
    }
  });

  it('the commands the objectives promise exist in the guest and run as written', async () => {
    const promised = objectiveCommands();
    expect(promised.length, 'lesson 2 promises losetup, free -h, …').toBeGreaterThan(0);
    const { state } = readGuestFiles(['state']);
    guest = new NodeGuest({ state }, builtMachine());
    await guest.ready;
    guest.send('\n');
    await guest.waitForPrompt({ timeoutMs: 30_000 });
    for (const { key, locale, code } of promised) {
      const name = code.split(/\s+/)[0] ?? '';
      const found = await guest.run(`command -v ${name}`);
      expect(found.status, `${key}/${locale} promises \`${code}\`, but the guest has no ${name}`).toBe(0);
      if (/^\S+( (-{1,2}[\w-]+|\/\S+))+$/.test(code)) {
        const run = await guest.run(code);
        expect(run.status, `${key}/${locale} promises \`${code}\`, which fails here:\n${run.output}`).toBe(0);
      }
    }
  });

  it.each(boxes.map((b) => [`${b.key}/${b.locale}`, b] as const))(
    '%s: every command works in the guest and shows what the text says',
    async (_name, box) => {
      const { state } = readGuestFiles(['state']);
      guest = new NodeGuest({ state }, builtMachine());
      await guest.ready;
      guest.send('\n');
      await guest.waitForPrompt({ timeoutMs: 30_000 });

      if (box.first !== undefined) expect(box.commands).toContain(box.first);
      let output = '';
      for (const command of box.commands) {
        const result = await guest.run(command, { timeoutMs: 60_000 });
        expect(result.status, `\`${command}\` printed:\n${result.output}`).toBe(0);
        output += result.output;
      }
      for (const fragment of PROMISED[box.key] ?? []) {
        expect(box.text, `${box.key}/${box.locale} mentions ${fragment}`).toContain(`\`${fragment}\``);
        expect(output, `the guest prints ${fragment}`).toContain(fragment);
      }
      await FOLLOW_UPS[box.key]?.(guest, box);
    },
  );
});
