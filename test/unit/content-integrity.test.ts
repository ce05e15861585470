/**
 * The content is data and is checked as such: every lesson in both languages, valid
 * frontmatter, agreement between the two languages, known glossary terms, and
 * prerequisites that exist (labs: test/unit/labs-content.test.ts). The e2e tier checks the built links.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lessonSchema, type LessonFrontmatter } from '../../src/schemas/lesson';
import { glossarySchema } from '../../src/schemas/glossary';
import { rejectedIn } from '../support/style';
import { CONTENT, glossaryIds, lessonKeys, readGlossary, readLessonFile, splitLesson } from '../support/content';
import { readLesson, structureProblems } from '../support/lesson-tree';
import {
  lessonPointers,
  misdirectedPointers,
  paragraphs,
  pointerTarget,
  proseOf,
  sentences,
  topicHomes,
  type LessonRef,
} from '../support/prose';
import { LOCALES, type Locale } from '../../src/i18n/locale';
import { ui } from '../../src/site/strings';
import { simStrings } from '../../src/features/simulator/strings';
import { kvmLabStrings } from '../../src/features/kvm-lab/strings';
import { pcPageStrings, pcStrings } from '../../src/features/pc/strings';
import { MESSAGES } from '../../src/protocol/texts';
import { MACHINE_COMMANDS } from '../../src/features/pc/pc-commands';

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
        objectives: d.objectives.length,
        quiz: d.quiz.map((q) => q.choices.map((c) => c.correct)),
      });
      expect(shared(en.data)).toEqual(shared(id.data));
      expect(Number(key.slice(0, 2))).toBe(id.data.order);
      expect(key.slice(3)).toBe(id.data.urlSlug);
    });

    it.each(['id', 'en'] as const)(
      '%s: glossary terms known, declared and used; one summary; hands-on places; browser-PC boxes',
      (locale) => {
        const file = locale === 'id' ? id : en;
        expect(structureProblems(readLesson(file.body), file.data.terms, terms), file.path).toEqual([]);
      },
    );

    it('prerequisites exist', () => {
      for (const p of id.data.prerequisites) {
        expect(keys).toContain(p);
        expect(p < key, `prerequisite ${p} must come before ${key}`).toBe(true);
      }
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

describe('the lesson structure checks, on one fixture lesson per slip (test/fixtures/lessons/)', () => {
  const FIXTURES = fileURLToPath(new URL('../fixtures/lessons/', import.meta.url));
  const problemsOf = (name: string) => {
    const { frontmatter, body } = splitLesson(readFileSync(join(FIXTURES, `${name}.mdx`), 'utf8'), name);
    return structureProblems(readLesson(body), (frontmatter as { terms: string[] }).terms, terms);
  };

  it('pass a good lesson (tags in code are no tags; attributes in any order, over several lines)', () => {
    expect(problemsOf('good')).toEqual([]);
    const tree = readLesson(splitLesson(readFileSync(join(FIXTURES, 'good.mdx'), 'utf8'), 'good').body);
    const [box, ...more] = tree.pcBoxes;
    expect(more).toEqual([]);
    expect(box?.text).toContain('<BrowserPc command="uname -m" />');
    expect({ ...box, text: undefined }).toEqual({
      text: undefined,
      commands: ['uname -m', 'cat /proc/cpuinfo'],
      first: 'uname -m',
      pcs: 1,
    });
  });

  it('every fixture but the good one is a slip, and each has its case here', () => {
    const names = readdirSync(FIXTURES).map((f) => f.replace(/\.mdx$/, ''));
    expect(names.filter((n) => n !== 'good').sort()).toEqual(Object.keys(SLIPS).sort());
  });

  const SLIPS: Record<string, string> = {
    'unknown-term': 'unknown glossary term "no-such-term"',
    'undeclared-term': '<T id="vcpu"> is not in the frontmatter\'s terms',
    'unused-term': 'term "vcpu" is declared but no <T> uses it',
    'term-id-expression': '<T> needs id="…" as plain text',
    'two-summaries': '2 <Summary> elements, not one',
    'no-summary': '0 <Summary> elements, not one',
    'no-hands-on': 'no <HandsOn> place',
    'unknown-kind': '<HandsOn kind="laptop"> is no known kind',
    'pc-box-without-pc': 'browser-PC box 1 holds 0 <BrowserPc>, not one',
    'pc-box-without-commands': 'browser-PC box 1 gives no ```sh commands',
    'pc-first-command-elsewhere': 'browser-PC box 1: the first command "lscpu" is not among its commands',
  };
  it.each(Object.entries(SLIPS))('catch %s', (name, problem) => {
    expect(problemsOf(name).join('\n')).toContain(problem);
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
    for (const t of [
      'hardware-assisted-virtualization',
      'vt-x',
      'amd-v',
      'host-os',
      'guest-os',
      'hypervisor',
      'virtual-machine',
      'libvirt',
      'virsh',
      'overcommit',
    ]) {
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
    [
      'no correct choice',
      { ...good, quiz: good.quiz.map((q) => ({ ...q, choices: q.choices.map((c) => ({ ...c, correct: false })) })) },
    ],
    ['a bad slug', { ...good, urlSlug: 'Bad Slug' }],
    ['an unknown chapter', { ...good, chapter: 'misc' }],
  ])('rejects %s', (_, bad) => expect(lessonSchema.safeParse(bad).success).toBe(false));
});

// ---------------------------------------------------------------------------------------
// Prose: what the learner reads. The checks below read the real lessons, glossary and
// interface strings; each also has a case showing it catches the slip it was written for.

/** Every lesson file, parsed (the structural checks above report unusable ones). */
const files = keys.flatMap((key) =>
  LOCALES.map((locale) => lesson(key, locale)).filter((l): l is ValidLesson => l.error === undefined),
);
const refs: LessonRef[] = keys.flatMap((key) => {
  const [id, en] = LOCALES.map((locale) => files.find((f) => f.key === key && f.locale === locale));
  return id && en ? [{ key, order: id.data.order, slug: { id: id.data.urlSlug, en: en.data.urlSlug } }] : [];
});
const bodies = (locale: Locale) => new Map(files.filter((f) => f.locale === locale).map((f) => [f.key, f.body]));
const homes = { id: topicHomes(bodies('id'), 'id'), en: topicHomes(bodies('en'), 'en') };

/** The texts of a lesson's frontmatter a learner reads, one per "paragraph". */
function frontmatterTexts(d: LessonFrontmatter): string[] {
  return [
    d.title,
    d.description,
    ...d.objectives,
    ...d.quiz.flatMap((q) => [q.question, ...q.choices.flatMap((c) => [c.text, c.feedback])]),
  ];
}

/** Every interface string of one language, with where it comes from. */
function interfaceStrings(locale: Locale): [string, string][] {
  const tables: [string, Record<string, string>][] = [
    ['ui', ui[locale]],
    ['sim', simStrings[locale]],
    ['kvm-lab', kvmLabStrings[locale]],
    ['machine', pcStrings[locale]],
    ['machine page', pcPageStrings[locale]],
    ['bridge message', MESSAGES[locale]],
  ];
  return tables.flatMap(([name, table]) => Object.entries(table).map(([k, v]): [string, string] => [`${name} ${k}`, v]));
}

/** The text of a figure: what its <text> elements say. */
function svgText(svg: string): string {
  return [...svg.matchAll(/<text\b[^>]*>([\s\S]*?)<\/text>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, '')).join('\n');
}
const figures = (locale: Locale) =>
  keys.flatMap((key) =>
    readdirSync(join(CONTENT, 'lessons', key))
      .filter((f) => f.endsWith(`.${locale}.svg`))
      .map((f): [string, string] => [`${key}/${f}`, svgText(readFileSync(join(CONTENT, 'lessons', key, f), 'utf8'))]),
  );

describe('pointers to lessons in prose', () => {
  it('find the lessons the real content names (the checker reads something)', () => {
    const all = files.flatMap((f) => paragraphs(proseOf(f.body)).flatMap((p) => lessonPointers(p, f.locale)));
    expect(all.length).toBeGreaterThan(60);
  });

  it.each(LOCALES)('%s: every lesson number and lesson link in lessons, glossary and interface exists and agrees', (locale) => {
    const problems: string[] = [];
    const check = (where: string, text: string, from?: LessonRef) => {
      for (const p of lessonPointers(text, locale)) {
        const target = pointerTarget(p, locale, refs, from);
        if ('error' in target) problems.push(`${where}: ${target.error}`);
      }
    };
    for (const f of files.filter((f) => f.locale === locale)) {
      const from = refs.find((r) => r.key === f.key);
      for (const p of paragraphs(proseOf(f.body))) check(f.path, p, from);
      for (const t of frontmatterTexts(f.data)) check(`${f.path} (frontmatter)`, t, from);
    }
    for (const termId of terms) {
      const entry = (readGlossary(termId) as Record<Locale, { short: string; long: string }>)[locale];
      check(`glossary ${termId}`, `${entry.short}\n${entry.long}`);
    }
    for (const [where, text] of interfaceStrings(locale)) check(where, text);
    expect(problems).toEqual([]);
  });

  it.each(LOCALES)('%s: a sentence that sends a topic to a lesson sends it where the topic is taught', (locale) => {
    const problems: string[] = [];
    for (const f of files.filter((f) => f.locale === locale)) {
      const from = refs.find((r) => r.key === f.key);
      const texts = [...paragraphs(proseOf(f.body)), ...frontmatterTexts(f.data)];
      for (const p of texts)
        problems.push(...misdirectedPointers(p, locale, refs, from, homes[locale]).map((m) => `${f.path}: ${m}`));
    }
    expect(problems).toEqual([]);
  });

  it('knows where the memory-management topics are taught: lesson 9', () => {
    for (const locale of LOCALES) {
      for (const topic of ['overcommit', 'ballooning', 'ksm'])
        expect([...(homes[locale].get(topic) ?? [])], `${locale} ${topic}`).toEqual(['09-mengelola-vm']);
    }
  });

  it.each([
    // The slips this check was written for (issue 16), as they stood.
    [
      'id',
      'Praktik ini disebut overcommit, dan swap di host menjadi jaring pengamannya. Batas dan triknya dibahas di [pelajaran 7](/pelajaran/virtualisasi-memori/).',
    ],
    ['en', 'KSM merges only 4 KiB pages, and overcommit becomes less flexible (see [lesson 2](/en/lessons/sharing-resources/)).'],
    [
      'id',
      'virtio-balloon untuk ballooning (mengembalikan RAM guest yang tidak terpakai ke host; lihat [pelajaran 2](/pelajaran/berbagi-sumber-daya/)).',
    ],
    ['en', 'Virtio is covered in [lesson 7](/en/lessons/io-and-virtio/).'],
    ['id', 'Overcommit dibahas di pelajaran 12.'],
  ] as const)('%s: flags "%s"', (locale, text) => {
    expect(misdirectedPointers(text, locale, refs, refs[0], homes[locale]).length).toBeGreaterThan(0);
  });

  it('machine page: each command points at the lesson whose browser-PC box uses it, and only then', () => {
    const boxes = new Map(files.map((f) => [`${f.key}/${f.locale}`, readLesson(f.body).pcBoxes]));
    const boxesOf = (key: string, locale: Locale) => boxes.get(`${key}/${locale}`) ?? [];
    for (const c of MACHINE_COMMANDS) {
      const users = keys.filter((key) =>
        LOCALES.every((locale) =>
          boxesOf(key, locale).some((b) => b.commands.includes(c.command) || b.text.includes(`\`${c.command}\``)),
        ),
      );
      if (c.lessonKey === undefined) expect(users, `${c.command} is used in a lesson; name it`).toEqual([]);
      else expect(users, `${c.command} → ${c.lessonKey}`).toContain(c.lessonKey);
    }
  });
});

describe('Indonesian terminology follows the style sheet', () => {
  it('lessons (body and frontmatter) and their figures', () => {
    const problems = files
      .filter((f) => f.locale === 'id')
      .flatMap((f) => [
        ...rejectedIn(f.path, f.body),
        ...frontmatterTexts(f.data).flatMap((t) => rejectedIn(`${f.path} (frontmatter)`, t)),
      ]);
    problems.push(...figures('id').flatMap(([where, text]) => rejectedIn(where, text)));
    expect(problems).toEqual([]);
  });

  it('glossary entries (aliases excepted: they feed the search)', () => {
    const problems = [...terms].flatMap((termId) => {
      const entry = (readGlossary(termId) as { id: { term: string; short: string; long: string } }).id;
      return rejectedIn(`glossary ${termId}`, `${entry.term}\n${entry.short}\n${entry.long}`);
    });
    expect(problems).toEqual([]);
  });

  it('interface strings', () => {
    expect(interfaceStrings('id').flatMap(([where, text]) => rejectedIn(where, text))).toEqual([]);
  });

  it.each([
    ['Kernel tamu mengira interupsinya mati.', 'guest'],
    ['Buka di peramban.', 'browser'],
    ['Simpan berkas itu.', 'file'],
    ['instruksi privileged', 'istimewa'],
  ])('flags "%s"', (text, use) => {
    expect(rejectedIn('x', text).join()).toContain(`→ ${use}`);
  });

  it.each([
    ['`EXTERNAL_INTERRUPT`'],
    ['*guest* artinya "tamu"'],
    ['Posted interrupt mengirim interupsi.'],
    ['<T id="privileged-instruction">instruksi istimewa</T>'],
  ])('allows "%s"', (text) => {
    expect(rejectedIn('x', text)).toEqual([]);
  });
});

describe('quiz feedback', () => {
  /** The verdict the quiz prints itself, and words that say the same. */
  const VERDICTS: Record<Locale, string[]> = {
    id: [
      ui.id['quiz.correct'],
      ui.id['quiz.wrong'],
      'Tepat',
      'Tepat sekali',
      'Betul',
      'Salah',
      'Keliru',
      'Tidak',
      'Kurang tepat',
      'Bukan',
    ],
    en: [ui.en['quiz.correct'], ui.en['quiz.wrong'], 'Right', 'Exactly', 'Yes', 'Wrong', 'Incorrect', 'No', 'Not at all'],
  };
  const startsWithVerdict = (locale: Locale, feedback: string) =>
    VERDICTS[locale].find((v) => new RegExp(`^${v.replace(/[.!]$/, '').replace(/ /g, '\\s+')}[.!]\\s`, 'i').test(`${feedback} `));

  it.each(LOCALES)('%s: no feedback starts with a verdict (the quiz prints "%s" itself)', (locale) => {
    const doubled = files
      .filter((f) => f.locale === locale)
      .flatMap((f) =>
        f.data.quiz.flatMap((q) =>
          q.choices.filter((c) => startsWithVerdict(locale, c.feedback)).map((c) => `${f.key}: ${c.feedback.slice(0, 60)}`),
        ),
      );
    expect(doubled).toEqual([]);
  });

  it.each([
    ['id', 'Benar. Satu layanan per server …'],
    ['id', 'Salah. EPT violation hanya ada …'],
    ['en', 'Wrong. EPT violations exist …'],
    ['en', 'Not quite. This opens /dev/kvm …'],
  ] as const)('%s: flags "%s"', (locale, feedback) => {
    expect(startsWithVerdict(locale, feedback)).toBeDefined();
  });
});

describe('facts the lessons state about real systems', () => {
  /**
   * Types of the KVM module parameters the lessons `cat` (linux/arch/x86/kvm/vmx/vmx.c,
   * svm/svm.c): a bool reads Y/N, an int a number.
   */
  const PARAM_TYPES: Record<string, 'bool' | 'int'> = {
    'kvm_intel/ept': 'bool',
    'kvm_intel/vpid': 'bool',
    'kvm_intel/nested': 'bool',
    'kvm_amd/npt': 'bool',
    'kvm_amd/nested': 'int',
  };

  it('module parameters print what their type prints', () => {
    const seen: string[] = [];
    for (const f of files) {
      for (const m of f.body.matchAll(/\$ cat \/sys\/module\/(\w+)\/parameters\/(\w+)[^\n]*\n([^\n$]*)/g)) {
        const param = `${m[1]}/${m[2]}`;
        seen.push(param);
        expect(PARAM_TYPES[param], `${f.path}: unknown parameter ${param}`).toBeDefined();
        expect(m[3]?.trim(), `${f.path}: ${param}`).toMatch(PARAM_TYPES[param] === 'bool' ? /^[YN]$/ : /^\d+$/);
      }
    }
    expect(seen).toContain('kvm_amd/npt');
  });

  /** Debian/Ubuntu packages the lessons tell the learner to install (checked with apt-cache on Debian 12). */
  const PACKAGES = new Set([
    'qemu-system-x86',
    'cpu-checker',
    'libvirt-daemon-system',
    'libvirt-clients',
    'virtinst',
    'virt-manager',
    'linux-image-amd64',
  ]);
  /** Names that are no installable package: `qemu-kvm` is only a virtual name, and there is no `libvirt` package. */
  const NOT_PACKAGES = ['qemu-kvm', 'libvirt'];

  it('packages to install are real packages, and lessons 4 and 11 name the same ones for libvirt', () => {
    const named = new Map<string, Set<string>>();
    for (const f of files) {
      const mine = new Set<string>();
      for (const m of f.body.matchAll(/apt(?:-get)? install ([^\n`]+)/g))
        for (const p of (m[1] ?? '').split(/\s+/)) if (/^[a-z]/.test(p)) mine.add(p);
      for (const p of paragraphs(proseOf(f.body))) {
        for (const s of sentences(p)) {
          const after = /\b(paket|packages?)\b([\s\S]*)/i.exec(s)?.[2] ?? '';
          for (const m of after.matchAll(/`([a-z0-9][a-z0-9.+-]*)`/g))
            if (PACKAGES.has(m[1] ?? '') || NOT_PACKAGES.includes(m[1] ?? '')) mine.add(m[1] ?? '');
        }
      }
      for (const p of mine) expect(PACKAGES, `${f.path} names package ${p}`).toContain(p);
      named.set(`${f.key}/${f.locale}`, mine);
    }
    const libvirtSet = ['libvirt-daemon-system', 'libvirt-clients', 'virtinst', 'virt-manager'];
    for (const k of ['04-jenis-hypervisor', '11-cek-dukungan-virtualisasi']) {
      for (const locale of LOCALES) expect([...(named.get(`${k}/${locale}`) ?? [])]).toEqual(expect.arrayContaining(libvirtSet));
    }
    expect([...(named.get('04-jenis-hypervisor/id') ?? [])]).toContain('qemu-system-x86');
  });

  it('a lesson that shows legacy OpenVZ says it is the legacy line and names OpenVZ 7', () => {
    for (const f of files.filter((f) => /042stab|user_beancounters/.test(f.body))) {
      expect(f.body, f.path).toMatch(/legacy|lama/i);
      expect(f.body, f.path).toMatch(/OpenVZ 7/);
      expect(f.body, f.path).toMatch(/`prlctl`/);
      expect(f.body, f.path).toMatch(/ploop/);
    }
  });

  /** Claims that were true once, with why they are not any more (issue 16). */
  const DATED: [RegExp, string][] = [
    [
      /Xen[^.]*(banyak penyedia cloud|many cloud providers)/,
      'AWS moved to KVM-based Nitro; Xen is now mostly XCP-ng, Citrix Hypervisor and Qubes OS',
    ],
    [/(Setahun kemudian|A year later)[^.]*Qumranet/, 'Red Hat bought Qumranet in September 2008, 19 months after Linux 2.6.20'],
  ];
  it('no lesson repeats a dated claim', () => {
    for (const f of files) for (const [re, why] of DATED) expect(re.test(f.body), `${f.path}: ${why}`).toBe(false);
  });
});
