import { describe, expect, it } from 'vitest';
import { generateToken, isLoopbackHost, isOriginAllowed, normalizeOrigin, tokenMatches } from '../../../src/kvm-bridge/auth.ts';

describe('tokens', () => {
  it('are 256 random bits in base64url, different each time', () => {
    const a = generateToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateToken()).not.toBe(a);
  });

  it('match only exactly', () => {
    const token = generateToken();
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(`${token}x`, token)).toBe(false);
    expect(tokenMatches(token.slice(0, -1), token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
    expect(tokenMatches(token.toUpperCase(), token)).toBe(token === token.toUpperCase());
  });

  it('never match an empty expected token', () => {
    expect(tokenMatches('', '')).toBe(false);
  });
});

describe('Host header (DNS rebinding)', () => {
  it.each(['127.0.0.1', '127.0.0.1:8477', 'localhost:8477', 'LOCALHOST', '[::1]:8477', '127.1.2.3:1'])('accepts %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each([undefined, '', 'evil.example', 'evil.example:8477', '127.0.0.1.evil.example', 'localhost.evil.example', '192.168.1.10:8477', '0.0.0.0:8477', '127.0.0.256', '[::2]', 'localhost:8477:1', '[::1'])(
    'refuses %s',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});

describe('Origin allowlist', () => {
  const allowed = ['http://127.0.0.1:4321', 'http://localhost:4321'];
  it.each(['http://127.0.0.1:4321', 'http://localhost:4321', 'HTTP://LOCALHOST:4321'])('accepts %s', (origin) => {
    expect(isOriginAllowed(origin, allowed)).toBe(true);
  });
  it.each([undefined, '', 'null', 'http://127.0.0.1:4322', 'https://127.0.0.1:4321', 'http://evil.example', 'http://localhost:4321.evil.example', 'file://', 'http://127.0.0.1:4321/path'])(
    'refuses %s',
    (origin) => {
      expect(isOriginAllowed(origin, allowed)).toBe(false);
    },
  );
  it('normalises default ports', () => {
    expect(normalizeOrigin('https://example.org:443')).toBe('https://example.org');
    expect(normalizeOrigin('javascript:alert(1)')).toBeNull();
  });
});
