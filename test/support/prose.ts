/**
 * Reading lesson prose the way a learner reads it, for the content checks: code and URLs
 * left out, sentences split, pointers to other lessons ("pelajaran 9", "[lesson 9](…)")
 * found, and the topics a sentence talks about recognised.
 */

import type { Locale } from '../../src/i18n/locale';

/** A lesson as the checks need it: its key, its number and its URL slug per language. */
export interface LessonRef {
  key: string;
  order: number;
  slug: Record<Locale, string>;
}

/**
 * An MDX body without what is not prose: fenced code, imports and `{…}` expressions. Inline
 * code stays (it carries package and command names); links stay, so pointers can be read.
 * @example proseOf('a\n```sh\nls\n```\nb') // 'a\n\nb'
 */
export function proseOf(mdx: string): string {
  return mdx
    .replace(/```[\s\S]*?```/g, '')
    .replace(/^import .*$/gm, '')
    .replace(/\{[^{}\n]*\}/g, '');
}

/** Paragraphs: blocks separated by a blank line, or by a line that is only a tag. */
export function paragraphs(prose: string): string[] {
  return prose
    .split(/\n\s*\n|\n(?=<\/?[A-Z])|(?<=>)\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * Sentences of one paragraph (a list item or table row counts as its own sentence).
 * @example sentences('Satu. Dua (lihat [pelajaran 2](/x/)).') // ['Satu.', 'Dua (lihat [pelajaran 2](/x/)).']
 */
export function sentences(paragraph: string): string[] {
  return paragraph
    .split(/\n/)
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=[A-Z0-9[*`"“(<])/))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The sentence as read: links as their text, inline code as its content. */
export function readable(sentence: string): string {
  return sentence.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`([^`]*)`/g, '$1');
}

/** A place where prose sends the reader to a lesson. */
export interface Pointer {
  /** What the reader sees: the link text, or the words "pelajaran 9". */
  text: string;
  /** The lesson number the words name, if they name one. */
  number?: number;
  /** True when the words say "the next lesson". */
  next?: boolean;
  /** The link target, for a link. */
  href?: string;
}

const NUMBER_WORDS: Record<Locale, RegExp> = {
  id: /\bpelajaran\s+(\d+)\b/gi,
  en: /\blessons?\s+(\d+)\b/gi,
};
const NEXT_WORDS: Record<Locale, RegExp> = { id: /\bpelajaran berikutnya\b/i, en: /\bnext lesson\b/i };
const LESSON_HREF: Record<Locale, RegExp> = { id: /^\/pelajaran\/([a-z0-9-]+)\/$/, en: /^\/en\/lessons\/([a-z0-9-]+)\/$/ };

/**
 * Every pointer to a lesson in a piece of text: links to a lesson page, and lesson numbers
 * named outside links.
 * @example lessonPointers('lihat [pelajaran 9](/pelajaran/mengelola-vm/)', 'id')
 *   // [{ text: 'pelajaran 9', number: 9, href: '/pelajaran/mengelola-vm/' }]
 */
export function lessonPointers(text: string, locale: Locale): Pointer[] {
  const found: Pointer[] = [];
  const rest = text.replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, (_, label: string, href: string) => {
    const isLesson = LESSON_HREF[locale].test(href);
    const named = [...label.matchAll(NUMBER_WORDS[locale])].map((m) => Number(m[1]));
    if (isLesson || named.length > 0) {
      const pointer: Pointer = { text: label };
      if (isLesson) pointer.href = href;
      if (named[0] !== undefined) pointer.number = named[0];
      if (NEXT_WORDS[locale].test(label)) pointer.next = true;
      found.push(pointer);
    }
    return ' ';
  });
  for (const m of rest.matchAll(NUMBER_WORDS[locale])) found.push({ text: m[0], number: Number(m[1]) });
  return found;
}

/** The lesson a pointer sends the reader to, or why it sends them nowhere. */
export function pointerTarget(
  pointer: Pointer,
  locale: Locale,
  lessons: readonly LessonRef[],
  from: LessonRef | undefined,
): { lesson: LessonRef } | { error: string } {
  const byHref = pointer.href
    ? lessons.find((l) => LESSON_HREF[locale].exec(pointer.href ?? '')?.[1] === l.slug[locale])
    : undefined;
  if (pointer.href && !byHref) return { error: `"${pointer.text}" links to ${pointer.href}, which is no lesson` };
  const named =
    pointer.number !== undefined
      ? lessons.find((l) => l.order === pointer.number)
      : pointer.next && from
        ? lessons.find((l) => l.order === from.order + 1)
        : undefined;
  if (pointer.number !== undefined && !named)
    return { error: `"${pointer.text}" names lesson ${pointer.number}, which does not exist` };
  if (pointer.next && !named) return { error: `"${pointer.text}" points past the last lesson` };
  if (byHref && named && byHref.key !== named.key) {
    return { error: `"${pointer.text}" names lesson ${named.order} but links to ${byHref.key}` };
  }
  const lesson = byHref ?? named;
  return lesson ? { lesson } : { error: `"${pointer.text}" names no lesson` };
}

/** A subject a lesson teaches, recognised in prose by its words in each language. */
export interface Topic {
  id: string;
  words: Record<Locale, RegExp>;
}

const both = (id: string, re: RegExp): Topic => ({ id, words: { id: re, en: re } });

/**
 * Subjects that prose sends readers to another lesson for. Only specific subjects: words
 * found in nearly every lesson (KVM, hypervisor, CPU, RAM) would make every pointer pass.
 */
export const TOPICS: readonly Topic[] = [
  both('overcommit', /overcommit/i),
  both('ballooning', /balloon/i),
  both('ksm', /\bKSM\b/),
  both('swap', /\bswap\b/i),
  both('loop-device', /\bloop device/i),
  { id: 'encapsulation', words: { id: /enkapsulasi/i, en: /encapsulat/i } },
  both('time-sharing', /time-sharing/i),
  both('popek-goldberg', /Popek/),
  both('trap-and-emulate', /trap-and-emulate/i),
  both('paravirtualization', /paravirtuali[sz]/i),
  { id: 'binary-translation', words: { id: /translasi biner/i, en: /binary translation/i } },
  { id: 'hypervisor-types', words: { id: /\btipe [12]\b/i, en: /\btype[- ][12]\b/i } },
  both('vm-exit', /\bexits?\b/i),
  both('cpuid', /\bCPUID\b/),
  both('dev-kvm', /\/dev\/kvm/),
  both('vcpu', /\bvCPUs?\b/),
  both('device-model', /device model/i),
  both('nested-paging', /nested paging|\bEPT\b|\bNPT\b/),
  both('shadow-paging', /shadow pag/i),
  both('huge-pages', /huge ?pages?|hugetlbfs|\bTHP\b/i),
  both('tlb', /\bTLB\b/),
  both('virtio', /virtio/i),
  both('vhost', /vhost/i),
  both('iommu', /IOMMU|VT-d|passthrough/i),
  both('libvirt', /libvirt|virsh|virt-manager/i),
  { id: 'containers', words: { id: /kontainer/i, en: /container/i } },
  both('firmware-setup', /\bBIOS\b|\bUEFI\b/),
];

/** Topics a (readable) sentence mentions. */
export function topicsIn(text: string, locale: Locale): Topic[] {
  return TOPICS.filter((t) => t.words[locale].test(text));
}

/**
 * Where each topic is taught, in one language: the lessons with a `##`/`###` heading that
 * names it, or else the lessons that mention it most.
 */
export function topicHomes(bodies: ReadonlyMap<string, string>, locale: Locale): Map<string, Set<string>> {
  const homes = new Map<string, Set<string>>();
  for (const topic of TOPICS) {
    const re = topic.words[locale];
    const headed = [...bodies].filter(([, body]) => (proseOf(body).match(/^#{2,3} .*$/gm) ?? []).some((h) => re.test(h)));
    if (headed.length > 0) {
      homes.set(topic.id, new Set(headed.map(([key]) => key)));
      continue;
    }
    const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    const counts = [...bodies].map(([key, body]) => [key, proseOf(body).match(global)?.length ?? 0] as const);
    const most = Math.max(...counts.map(([, n]) => n));
    homes.set(topic.id, new Set(most > 0 ? counts.filter(([, n]) => n === most).map(([key]) => key) : []));
  }
  return homes;
}

/**
 * Pointers in a paragraph that send a topic to a lesson that does not teach it. A pointer's
 * topics are those named between the pointers either side of it in its sentence; when there
 * are none, those of the sentence before, if that one points nowhere itself (this is where
 * "Batas dan triknya dibahas di pelajaran 9" gets its subject). Topics the current lesson
 * teaches itself are its own subject, not what it points elsewhere for. A pointer with no
 * topic left is not judged, and one whose stretch names a topic the target teaches passes.
 */
export function misdirectedPointers(
  paragraph: string,
  locale: Locale,
  lessons: readonly LessonRef[],
  from: LessonRef | undefined,
  homes: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const problems: string[] = [];
  const list = sentences(paragraph);
  const foreign = (text: string) => topicsIn(readable(text), locale).filter((t) => !(from && homes.get(t.id)?.has(from.key)));
  list.forEach((sentence, i) => {
    const pointers = lessonPointers(sentence, locale);
    // Where each pointer's words sit in the sentence, to cut it into stretches between pointers.
    let cursor = 0;
    const spans = pointers.map((p) => {
      const at = sentence.indexOf(p.text, cursor);
      const start = at < 0 ? cursor : at;
      cursor = start + p.text.length;
      return { start, end: cursor };
    });
    const previous = list[i - 1] ?? '';
    const previousTopics = lessonPointers(previous, locale).length === 0 ? foreign(previous) : [];
    pointers.forEach((pointer, k) => {
      const target = pointerTarget(pointer, locale, lessons, from);
      if ('error' in target) {
        problems.push(target.error);
        return;
      }
      const stretch = sentence.slice(k > 0 ? (spans[k - 1]?.end ?? 0) : 0, spans[k + 1]?.start ?? sentence.length);
      if (topicsIn(readable(stretch), locale).some((t) => homes.get(t.id)?.has(target.lesson.key))) return;
      const own = foreign(stretch);
      const topics = own.length > 0 ? own : previousTopics;
      if (topics.length === 0 || target.lesson.key === from?.key) return;
      if (!topics.some((t) => homes.get(t.id)?.has(target.lesson.key))) {
        const where = topics.map((t) => `${t.id} → ${[...(homes.get(t.id) ?? [])].join(', ') || 'nowhere'}`).join('; ');
        problems.push(`"${readable(sentence)}" sends the reader to ${target.lesson.key}, which teaches none of: ${where}`);
      }
    });
  });
  return problems;
}
