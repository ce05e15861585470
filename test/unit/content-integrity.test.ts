/**
 * The content is data and is checked as such: every lesson in both languages, valid
 * frontmatter, agreement between the two languages, known glossary terms, and
 * prerequisites and labs that exist. The e2e tier checks the built links.
 */
import { describe, expect, it } from 'vitest';
import { lessonSchema, type LessonFrontmatter } from '../../src/schemas/lesson';
import { glossarySchema } from '../../src/schemas/glossary';
import { glossaryIds, labIds, lessonKeys, readGlossary, readLessonFile } from '../support/content';

const keys = lessonKeys();
const terms = new Set(glossaryIds());

/** A lesson file with validated frontmatter, or the reason it is not usable. */
function lesson(key: string, locale: 'id' | 'en') {
  const file = readLessonFile(key, locale);
  if (!file) return { error: `content/lessons/${key}/${locale}.mdx is missing` } as const;
  const parsed = lessonSchema.safeParse(file.frontmatter);
  if (!parsed.success) {
    return { error: `${file.path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` } as const;
  }
  return { ...file, data: parsed.data, error: undefined };
}
type ValidLesson = Exclude<ReturnType<typeof lesson>, { error: string }>;

/** Term ids used with <T id="…"> in an MDX body. */
function termsUsed(body: string): Set<string> {
  return new Set([...body.matchAll(/<T\s+id=["']([^"']+)["']/g)].map((m) => m[1] ?? ''));
}

describe('lessons', () => {
  it('there are lessons, numbered NN-slug', () => {
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) expect(key).toMatch(/^\d{2}-[a-z0-9-]+$/);
  });

  describe.each(keys)('%s', (key) => {
    const idResult = lesson(key, 'id');
    const enResult = lesson(key, 'en');

    it('exists in both languages with valid frontmatter', () => {
      expect(idResult.error).toBeUndefined();
      expect(enResult.error).toBeUndefined();
    });
    // The remaining checks need both files; the test above already fails when one is unusable.
    if (idResult.error !== undefined || enResult.error !== undefined) return;
    const id: ValidLesson = idResult;
    const en: ValidLesson = enResult;

    it('both languages agree on structure', () => {
      const shared = (d: LessonFrontmatter) => ({
        order: d.order,
        chapter: d.chapter,
        level: d.level,
        minutes: d.minutes,
        terms: [...d.terms].sort(),
        prerequisites: d.prerequisites,
        labs: d.labs,
        objectives: d.objectives.length,
        quiz: d.quiz.map((q) => q.choices.map((c) => c.correct)),
      });
      expect(shared(en.data)).toEqual(shared(id.data));
      expect(Number(key.slice(0, 2))).toBe(id.data.order);
      expect(key.slice(3)).toBe(id.data.urlSlug);
    });

    it.each(['id', 'en'] as const)('%s: every glossary term is known, declared and used', (locale) => {
      const file = locale === 'id' ? id : en;
      const used = termsUsed(file.body);
      for (const t of [...used, ...file.data.terms]) expect(terms, `unknown glossary term "${t}" in ${file.path}`).toContain(t);
      expect([...used].sort(), `<T> ids vs frontmatter terms in ${file.path}`).toEqual([...new Set(file.data.terms)].sort());
    });

    it.each(['id', 'en'] as const)('%s: has a summary and a hands-on place', (locale) => {
      const body = (locale === 'id' ? id : en).body;
      expect(body.match(/<Summary>/g)?.length).toBe(1);
      expect(body).toMatch(/<HandsOn\s+kind="(simulator|machine|kvm-lab)"/);
    });

    it('prerequisites and labs exist', () => {
      for (const p of id.data.prerequisites) {
        expect(keys).toContain(p);
        expect(p < key, `prerequisite ${p} must come before ${key}`).toBe(true);
      }
      const labs = labIds();
      for (const l of id.data.labs) expect(labs).toContain(l);
    });
  });

  it('orders and slugs are unique per language', () => {
    const all = keys.flatMap((k) => [lesson(k, 'id'), lesson(k, 'en')]).filter((l): l is ValidLesson => l.error === undefined);
    for (const locale of ['id', 'en'] as const) {
      const mine = all.filter((l) => l.locale === locale);
      expect(new Set(mine.map((l) => l.data.order)).size).toBe(mine.length);
      expect(new Set(mine.map((l) => l.data.urlSlug)).size).toBe(mine.length);
    }
  });
});

describe('glossary', () => {
  it('has entries', () => expect(terms.size).toBeGreaterThan(0));

  it.each([...terms])('%s is valid in both languages and its related terms exist', (termId) => {
    const parsed = glossarySchema.safeParse(readGlossary(termId));
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues)).toBe(true);
    if (!parsed.success) return;
    expect(termId).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    for (const r of parsed.data.related) expect(terms, `related term ${r} of ${termId}`).toContain(r);
  });

  it('the terms named in the source notes are all there', () => {
    for (const t of ['hardware-assisted-virtualization', 'vt-x', 'amd-v', 'host-os', 'guest-os', 'hypervisor', 'virtual-machine', 'libvirt', 'virsh', 'overcommit']) {
      expect(terms).toContain(t);
    }
  });
});

describe('schemas reject bad content', () => {
  const good = {
    title: 'Judul',
    description: 'Deskripsi yang cukup panjang untuk lolos.',
    urlSlug: 'contoh',
    order: 1,
    chapter: 'foundations',
    objectives: ['Tujuan satu', 'Tujuan dua', 'Tujuan tiga'],
    minutes: 10,
    level: 'beginner',
    terms: ['hypervisor'],
    quiz: Array.from({ length: 5 }, () => ({
      question: 'Pertanyaan?',
      choices: [
        { text: 'a', correct: true, feedback: 'Benar karena alasan.' },
        { text: 'b', feedback: 'Salah karena alasan.' },
      ],
    })),
  };
  it('accepts a good lesson', () => expect(lessonSchema.safeParse(good).success).toBe(true));
  it.each([
    ['an unknown field', { ...good, extra: 1 }],
    ['two objectives', { ...good, objectives: ['a b c d e', 'f g h i j'] }],
    ['four questions', { ...good, quiz: good.quiz.slice(0, 4) }],
    ['no correct choice', { ...good, quiz: good.quiz.map((q) => ({ ...q, choices: q.choices.map((c) => ({ ...c, correct: false })) })) }],
    ['a bad slug', { ...good, urlSlug: 'Bad Slug' }],
    ['an unknown chapter', { ...good, chapter: 'misc' }],
  ])('rejects %s', (_, bad) => expect(lessonSchema.safeParse(bad).success).toBe(false));
});
