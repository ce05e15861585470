import { describe, expect, it } from 'vitest';
import { fill } from '../../../../src/i18n/fill';
import { kvmLabStrings, kvmLabText } from '../../../../src/features/kvm-lab/strings';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('KVM lab strings', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(kvmLabStrings.en).sort()).toEqual(Object.keys(kvmLabStrings.id).sort());
  });

  it.each(Object.keys(kvmLabStrings.id))('%s has the same placeholders in both languages and is not empty', (key) => {
    const k = key as keyof typeof kvmLabStrings.id;
    expect(kvmLabStrings.id[k].trim()).not.toBe('');
    expect(kvmLabStrings.en[k].trim()).not.toBe('');
    expect(placeholders(kvmLabStrings.en[k])).toEqual(placeholders(kvmLabStrings.id[k]));
  });

  it('give the panel only its own keys', () => {
    const keys = Object.keys(kvmLabText('en'));
    expect(keys.length).toBeGreaterThan(50);
    expect(keys.every((k) => k.startsWith('kvm.'))).toBe(true);
    expect(kvmLabText('id')['kvm.connect']).toBe('Hubungkan');
  });

  it('fill placeholders and leave unknown ones visible', () => {
    expect(fill('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
