import type { Locale } from '../../i18n/locale';
import { translator, type StringTable, type Translate } from '../../i18n/strings';

/** Course navigation: progress marks in the lesson lists, the continue button, the glossary index. */
const id = {
  'nav.start': 'Mulai dari pelajaran 1',
  'nav.continue': 'Lanjutkan ke pelajaran {n}: {title}',
  'nav.done': 'Semua pelajaran sudah kamu baca. Ulangi kuis atau lihat kemajuanmu kapan saja.',
  'nav.progressLink': 'Lihat kemajuan',
  'mark.read': 'sudah dibaca',
  'mark.quizPassed': 'kuis lulus ({score}/{total})',
  'mark.quizTried': 'kuis {score}/{total}',
  'glossary.azLabel': 'Istilah menurut huruf awal',
  'glossary.azNone': 'tidak ada istilah berawalan {letter}',
  'glossary.filterLabel': 'Saring istilah',
  'glossary.filterHint': 'Ketik sebagian nama atau penjelasan istilah.',
  'glossary.count': '{n} dari {total} istilah',
  'glossary.none': 'Tidak ada istilah yang cocok dengan “{query}”.',
  'glossary.toTop': 'Kembali ke daftar huruf',
} as const;

type CourseNavKey = keyof typeof id;

const en = {
  'nav.start': 'Start with lesson 1',
  'nav.continue': 'Continue with lesson {n}: {title}',
  'nav.done': 'You have read every lesson. Retake a quiz or look at your progress any time.',
  'nav.progressLink': 'See your progress',
  'mark.read': 'read',
  'mark.quizPassed': 'quiz passed ({score}/{total})',
  'mark.quizTried': 'quiz {score}/{total}',
  'glossary.azLabel': 'Terms by first letter',
  'glossary.azNone': 'no terms starting with {letter}',
  'glossary.filterLabel': 'Filter terms',
  'glossary.filterHint': 'Type part of a term’s name or explanation.',
  'glossary.count': '{n} of {total} terms',
  'glossary.none': 'No term matches “{query}”.',
  'glossary.toTop': 'Back to the letter index',
} as const satisfies Record<CourseNavKey, string>;

export const courseNavStrings = { id, en } as const satisfies StringTable<CourseNavKey>;

export const courseNavText = (locale: Locale): Translate<CourseNavKey> => translator(courseNavStrings, locale);
