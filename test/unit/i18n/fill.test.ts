import { describe, expect, it } from 'vitest';
import { fill, placeholders } from '../../../src/i18n/fill';
import { formatNumber } from '../../../src/i18n/format';
import { toLocale } from '../../../src/i18n/locale';
import { translator } from '../../../src/i18n/strings';

describe('fill', () => {
  it('fills every placeholder it has a value for, numbers and zero included', () => {
    expect(fill('Soal {n} dari {total}', { n: 0, total: 5 })).toBe('Soal 0 dari 5');
    expect(fill('{a}{a}', { a: 'x' })).toBe('xx');
  });

  it('keeps a placeholder without a value visible', () => {
    expect(fill('Skor: {score} dari {total}', { score: 3 })).toBe('Skor: 3 dari {total}');
    expect(fill('Skor: {score}', { score: undefined })).toBe('Skor: {score}');
    expect(fill('{toString} {constructor}')).toBe('{toString} {constructor}');
  });

  it('lists placeholders once each, sorted', () => {
    expect(placeholders('{b} {a} {b}')).toEqual(['a', 'b']);
  });
});

describe('translator', () => {
  it('looks a key up in one language and fills it', () => {
    const table = { id: { score: 'Skor: {score}' }, en: { score: 'Score: {score}' } } as const;
    expect(translator(table, 'id')('score', { score: 2 })).toBe('Skor: 2');
    expect(translator(table, 'en')('score')).toBe('Score: {score}');
  });
});

describe('formatNumber', () => {
  it('takes the value first and writes it the way the language does', () => {
    expect(formatNumber(1234567.5, 'id', 1)).toBe('1.234.567,5');
    expect(formatNumber(1234567.5, 'en', 1)).toBe('1,234,567.5');
    expect(formatNumber(12345.6, 'id')).toBe('12.346');
    expect(formatNumber(Number.POSITIVE_INFINITY, 'en')).toBe('∞');
  });
});

describe('toLocale', () => {
  it('keeps a course language and falls back to Indonesian', () => {
    expect(toLocale('en')).toBe('en');
    expect(toLocale('fr')).toBe('id');
    expect(toLocale(undefined)).toBe('id');
  });
});
