import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares tokens in constant time. Hashing first gives equal-length inputs, so neither the
 * content nor the length of the expected token leaks through timing.
 */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (presented === null || presented === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/**
 * True when a browser's Origin names the host the request was sent to. A page on another site can
 * make the browser POST to the console (a form needs no CORS preflight), and a loopback console
 * without a token would obey it; such a request carries that site's Origin. Clients that are not
 * browsers send no Origin, and the token (when set) is what protects against them.
 */
export function originMatchesHost(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (host === undefined) return false;
  try {
    return new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed frames, file://) or garbage
  }
}
