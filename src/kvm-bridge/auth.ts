/**
 * The bridge's security checks as pure functions: token, Host header, Origin. The server applies
 * them before a WebSocket exists (Host, Origin) and on the first frame (token).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh token: 32 random bytes, base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares a presented token with the real one in constant time. Both are hashed first, so the
 * comparison takes the same time whatever the lengths (timingSafeEqual needs equal lengths).
 */
export function tokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

/**
 * True when a Host header names a loopback address, with or without a port. Anything else (a DNS
 * name that resolves to 127.0.0.1 in a rebinding attack, a LAN address) is refused.
 * @example isLoopbackHost('127.0.0.1:8477') // true
 * @example isLoopbackHost('evil.example:8477') // false
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(host.trim());
  if (!match) return false;
  const name = (match[1] ?? match[2] ?? '').toLowerCase();
  if (name === 'localhost' || name === '::1') return true;
  // 127.0.0.0/8, written as a plain dotted quad.
  const quad = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name);
  return quad !== null && quad.slice(1).every((part) => Number(part) <= 255);
}

/**
 * True when the Origin header is exactly one of the allowed origins (scheme, host and port). A
 * missing Origin is refused: browsers always send one on WebSocket requests, so its absence means
 * a non-browser client that did not identify where it comes from.
 * @example isOriginAllowed('http://localhost:4321', ['http://localhost:4321']) // true
 */
export function isOriginAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return false;
  const normalized = normalizeOrigin(origin);
  return normalized !== null && allowed.some((entry) => normalizeOrigin(entry) === normalized);
}

/** `scheme://host[:port]` in lowercase with the default port dropped, or null for anything else (e.g. `null`). */
export function normalizeOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) return null;
    return url.origin.toLowerCase();
  } catch {
    return null;
  }
}

/** The site's origins in development and preview (Astro serves on port 4321). */
export const DEFAULT_ALLOWED_ORIGINS = ['http://127.0.0.1:4321', 'http://localhost:4321'] as const;
