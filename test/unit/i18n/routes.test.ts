import { describe, expect, it } from 'vitest';
import { ui, useTranslations } from '../../../src/site/strings';
import { lessonPath, parseLessonEntryId, sectionPath } from '../../../src/i18n/routes';

describe('interface strings', () => {
  it('has the same keys in both languages', () => {
    expect(Object.keys(ui.en).sort()).toEqual(Object.keys(ui.id).sort());
  });
  it('fills placeholders and leaves unknown ones visible', () => {
    const t = useTranslations('en');
    expect(t('quiz.score', { score: 3, total: 6 })).toBe('Score: 3 of 6');
    expect(t('quiz.score', { score: 3 })).toBe('Score: 3 of {total}');
  });
});

describe('routes', () => {
  it.each([
    ['id', 'kvm', '/pelajaran/kvm/'],
    ['en', 'kvm', '/en/lessons/kvm/'],
  ] as const)('lessonPath(%s, %s) = %s', (locale, slug, path) => {
    expect(lessonPath(locale, slug)).toBe(path);
  });
  it('translates section names', () => {
    expect(sectionPath('id', 'glossary')).toBe('/istilah/');
    expect(sectionPath('en', 'glossary')).toBe('/en/glossary/');
  });
  it('parses lesson entry ids and rejects others', () => {
    expect(parseLessonEntryId('06-kvm/en')).toEqual({ key: '06-kvm', locale: 'en' });
    expect(() => parseLessonEntryId('kvm/en')).toThrow(/Unexpected/);
  });
});
