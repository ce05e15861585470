import { getCollection, type CollectionEntry } from 'astro:content';
import type { Locale } from '../i18n/locale';
import { labPath, lessonPath, parseLessonEntryId } from '../i18n/routes';
import type { GuidedLab, LabStep } from '../schemas/guided-lab';
import { labReferenceProblems, stepTextProblems } from './lab-references';

export type LessonEntry = CollectionEntry<'lessons'>;
export type GlossaryEntryData = CollectionEntry<'glossary'>;

/** A lesson in one language, with its key (folder name) and URL. */
export interface Lesson {
  key: string;
  locale: Locale;
  url: string;
  entry: LessonEntry;
}

/** All lessons of one language, in course order. */
export async function getLessons(locale: Locale): Promise<Lesson[]> {
  const entries = await getCollection('lessons');
  return entries
    .map((entry) => ({ entry, ...parseLessonEntryId(entry.id) }))
    .filter((l) => l.locale === locale)
    .map((l) => ({ ...l, url: lessonPath(locale, l.entry.data.urlSlug) }))
    .sort((a, b) => a.entry.data.order - b.entry.data.order);
}

/** Finds the same lesson in another language by its key. */
export async function getLessonByKey(key: string, locale: Locale): Promise<Lesson | undefined> {
  return (await getLessons(locale)).find((l) => l.key === key);
}

/** All glossary entries, sorted by their term in the given language. */
export async function getGlossary(locale: Locale): Promise<GlossaryEntryData[]> {
  const entries = await getCollection('glossary');
  const collator = new Intl.Collator(locale);
  return entries.sort((a, b) => collator.compare(a.data[locale].term, b.data[locale].term));
}

export type LabStepEntry = CollectionEntry<'labSteps'>;

/** A guided lab in one language: its definition, URL and step texts in order. */
export interface Lab {
  key: string;
  locale: Locale;
  url: string;
  data: GuidedLab;
  steps: { step: LabStep; text: LabStepEntry }[];
}

let checked: Promise<void> | undefined;

/** Fails the build on a broken lab: an unknown lesson, a missing step text, a step text without its parts. */
async function checkLabs(): Promise<void> {
  const [labs, steps, lessons] = await Promise.all([getCollection('labs'), getCollection('labSteps'), getCollection('lessons')]);
  const lessonKeys = [...new Set(lessons.map((l) => parseLessonEntryId(l.id).key))];
  const problems = labs.flatMap((lab) => {
    const mine = steps.filter((s) => s.id.startsWith(`${lab.id}/`));
    return [
      ...labReferenceProblems(lab.id, lab.data, { lessonKeys, stepTexts: mine.map((s) => s.id.slice(lab.id.length + 1)) }),
      ...mine.flatMap((s) => stepTextProblems(`labs/${s.id}.mdx`, s.body ?? '')),
    ];
  });
  const orphans = steps.filter((s) => !labs.some((lab) => s.id.startsWith(`${lab.id}/`)));
  for (const s of orphans) problems.push(`labs/${s.id}.mdx: no lab.yaml in its folder`);
  if (problems.length > 0) throw new Error(`Broken guided labs:\n${problems.join('\n')}`);
}

/** All guided labs of one language, in key order (NN-). */
export async function getLabs(locale: Locale): Promise<Lab[]> {
  checked ??= checkLabs();
  await checked;
  const [labs, texts] = await Promise.all([getCollection('labs'), getCollection('labSteps')]);
  return labs
    .map((entry) => ({
      key: entry.id,
      locale,
      url: labPath(locale, entry.data.urlSlug[locale]),
      data: entry.data,
      steps: entry.data.steps.map((step) => {
        const text = texts.find((t) => t.id === `${entry.id}/${step.id}.${locale}`);
        if (!text) throw new Error(`labs/${entry.id}/steps/${step.id}.${locale}.mdx is missing`);
        return { step, text };
      }),
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** The labs that name this lesson (a lab's `lessons` list is the one source of the link). */
export async function getLabsOfLesson(lessonKey: string, locale: Locale): Promise<Lab[]> {
  return (await getLabs(locale)).filter((lab) => lab.data.lessons.includes(lessonKey));
}
