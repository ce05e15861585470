import type { Locale } from './locale.ts';

/**
 * Every URL of the site comes from here, so the language switch and the link checker
 * agree. Indonesian paths have no prefix; English paths start with /en/.
 */
const sections = {
  id: {
    lessons: 'pelajaran',
    glossary: 'istilah',
    search: 'cari',
    progress: 'kemajuan',
    about: 'tentang',
    machine: 'mesin',
    kvmLab: 'lab-kvm',
    labs: 'lab',
  },
  en: {
    lessons: 'lessons',
    glossary: 'glossary',
    search: 'search',
    progress: 'progress',
    about: 'about',
    machine: 'machine',
    kvmLab: 'kvm-lab',
    labs: 'labs',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export type Section = keyof (typeof sections)['id'];

const prefix = (locale: Locale) => (locale === 'id' ? '/' : '/en/');

export const homePath = (locale: Locale): string => prefix(locale);

export const sectionPath = (locale: Locale, section: Section): string => `${prefix(locale)}${sections[locale][section]}/`;

/** "About this machine": `/mesin/tentang/`, `/en/machine/about/`. */
export const pcAboutPath = (locale: Locale): string => `${sectionPath(locale, 'machine')}${sections[locale].about}/`;

export const lessonPath = (locale: Locale, urlSlug: string): string => `${sectionPath(locale, 'lessons')}${urlSlug}/`;

/** A guided lab: `/lab/<slug>/`, `/en/labs/<slug>/`. */
export const labPath = (locale: Locale, urlSlug: string): string => `${sectionPath(locale, 'labs')}${urlSlug}/`;

export const glossaryTermPath = (locale: Locale, termId: string): string => `${sectionPath(locale, 'glossary')}#${termId}`;

/** Splits a lesson entry id `NN-slug/id` into its lesson key and locale. */
export function parseLessonEntryId(entryId: string): { key: string; locale: Locale } {
  const match = /^(\d{2}-[a-z0-9-]+)\/(id|en)$/.exec(entryId);
  if (!match?.[1] || !match[2]) throw new Error(`Unexpected lesson entry id "${entryId}"`);
  return { key: match[1], locale: match[2] as Locale };
}

export const otherLocale = (locale: Locale): Locale => (locale === 'id' ? 'en' : 'id');
