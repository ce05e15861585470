import { describe, expect, it } from 'vitest';
import { fill } from '../../../../src/i18n/fill';
import { pcStrings, pcText } from '../../../../src/features/pc/strings';
import type { VmErrorCode, VmStatus } from '../../../../src/features/terminal/backend';
import { formatBytes, formatMips, statusLine } from '../../../../src/features/pc/status-text';

describe('machine strings', () => {
  it('have the same keys and placeholders in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(pcStrings.en).sort()).toEqual(Object.keys(pcStrings.id).sort());
    for (const [key, value] of Object.entries(pcStrings.id)) {
      expect(placeholders(pcStrings.en[key as keyof typeof pcStrings.en]), key).toEqual(placeholders(value));
      expect(value.trim(), key).not.toBe('');
    }
  });

  it('fill placeholders and leave unknown ones visible', () => {
    expect(fill('Downloading {file}: {loaded}', { file: 'bzImage', loaded: '1 MB' })).toBe('Downloading bzImage: 1 MB');
    expect(fill('{a} {b}', { a: 1 })).toBe('1 {b}');
  });
});

describe('status line', () => {
  const en = pcText('en');
  const id = pcText('id');

  it('formats bytes in each language', () => {
    expect(formatBytes(2_621_440, 'id')).toBe('2,6 MB');
    expect(formatBytes(2_621_440, 'en')).toBe('2.6 MB');
    expect(formatBytes(900, 'en')).toBe('1 KB');
    expect(formatBytes(131_072, 'id')).toBe('131 KB');
  });

  it.each<[VmStatus, string, string]>([
    [{ state: 'idle' }, 'Off', 'Mati'],
    [
      { state: 'loading', file: 'bzImage', loaded: 5e5, total: 1e6 },
      'Downloading bzImage: 500 KB of 1 MB',
      'Mengunduh bzImage: 500 KB dari 1 MB',
    ],
    [{ state: 'loading', file: 'v86.wasm', loaded: 2e6, total: null }, 'Downloading v86.wasm: 2 MB', 'Mengunduh v86.wasm: 2 MB'],
    [{ state: 'booting', mode: 'cold' }, 'Booting…', 'Menyalakan…'],
    [{ state: 'booting', mode: 'snapshot' }, 'Restoring the snapshot…', 'Memulihkan snapshot…'],
    [{ state: 'running', mode: 'snapshot' }, 'Running', 'Berjalan'],
    [{ state: 'paused', mode: 'cold' }, 'Paused', 'Dijeda'],
  ])('%j', (status, inEnglish, inIndonesian) => {
    expect(statusLine(status, en, 'en')).toBe(inEnglish);
    expect(statusLine(status, id, 'id')).toBe(inIndonesian);
  });

  it.each<VmErrorCode>(['no-webassembly', 'low-memory', 'asset-failed', 'crashed'])(
    'explains the error %s in both languages',
    (code) => {
      const status: VmStatus = { state: 'error', code, detail: '/guest/state.bin.zst: HTTP 404' };
      for (const [text, locale] of [
        [en, 'en'],
        [id, 'id'],
      ] as const) {
        const line = statusLine(status, text, locale);
        expect(line).toBe(fill(text[`machine.error.${code}`], { detail: status.detail }));
        expect(line).not.toMatch(/\{\w+\}/);
      }
      expect(statusLine({ state: 'error', code: 'asset-failed', detail: 'x: HTTP 404' }, id, 'id')).toContain('x: HTTP 404');
    },
  );

  it('formats the speed, empty when unknown', () => {
    expect(formatMips(183.46, id, 'id')).toBe('183 juta instruksi/detik');
    expect(formatMips(2.25, en, 'en')).toBe('2.3 million instructions/s');
    expect(formatMips(null, en, 'en')).toBe('');
  });
});
