import { getCollection, type CollectionEntry } from 'astro:content';
import type { Locale } from '../i18n/locale';
import { lessonPath, parseLessonEntryId } from '../i18n/routes';

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
