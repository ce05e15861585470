import { describe, expect, it } from 'vitest';
import { lessonStatus, nextStep } from '../../../../src/features/course/progress/status';
import { alphabet, foldText, initialLetter, matches } from '../../../../src/features/course/glossary-index';

const at = '2026-01-01T00:00:00.000Z';
const keys = ['01-a', '02-b', '03-c'];

describe('nextStep', () => {
  it.each([
    ['a new learner starts at lesson 1', {}, { kind: 'start', key: '01-a' }],
    ['after lesson 1, lesson 2', { '01-a': { readAt: at } }, { kind: 'continue', key: '02-b' }],
    ['a skipped lesson comes first', { '01-a': { readAt: at }, '03-c': { readAt: at } }, { kind: 'continue', key: '02-b' }],
    [
      'a quiz alone does not count as read',
      { '01-a': { quiz: { best: 1, total: 2, attempts: 1, lastAt: at } } },
      { kind: 'start', key: '01-a' },
    ],
    ['everything read: done', { '01-a': { readAt: at }, '02-b': { readAt: at }, '03-c': { readAt: at } }, { kind: 'done' }],
  ] as const)('%s', (_name, lessons, expected) => {
    expect(nextStep(keys, { lessons })).toEqual(expected);
  });
  it('an empty course is done', () => {
    expect(nextStep([], { lessons: {} })).toEqual({ kind: 'done' });
  });
});

describe('lessonStatus', () => {
  it.each([
    [undefined, { read: false }],
    [{ readAt: at }, { read: true }],
    [
      { readAt: at, quiz: { best: 3, total: 4, attempts: 1, lastAt: at } },
      { read: true, quiz: { best: 3, total: 4, passed: true } },
    ],
    [
      { readAt: at, quiz: { best: 7, total: 10, attempts: 1, lastAt: at } },
      { read: true, quiz: { best: 7, total: 10, passed: true } },
    ],
    [
      { readAt: at, quiz: { best: 2, total: 4, attempts: 2, lastAt: at } },
      { read: true, quiz: { best: 2, total: 4, passed: false } },
    ],
  ])('%j → %j', (lesson, expected) => {
    expect(lessonStatus(lesson)).toEqual(expected);
  });
});

describe('glossary index', () => {
  it.each([
    ['Hypervisor', 'H'],
    ['émulasi', 'E'],
    ['/dev/kvm', '#'],
    ['  vCPU', 'V'],
    ['8086', '#'],
  ])('%s is listed under %s', (term, letter) => {
    expect(initialLetter(term)).toBe(letter);
  });
  it('puts # first only when a term needs it', () => {
    expect(alphabet(['A', 'K'])).toHaveLength(26);
    expect(alphabet(['#', 'K'])[0]).toBe('#');
  });
  it('matches every word, ignoring case, accents and order', () => {
    const text = foldText('Hypervisor Tipe 1: berjalan langsung di atas perangkat keras (bare metal). Émulasi');
    expect(matches(text, 'HYPER')).toBe(true);
    expect(matches(text, 'keras tipe')).toBe(true);
    expect(matches(text, 'emulasi')).toBe(true);
    expect(matches(text, 'émulasi')).toBe(true);
    expect(matches(text, 'tipe 2')).toBe(false);
    expect(matches(text, '  ')).toBe(true);
  });
});
