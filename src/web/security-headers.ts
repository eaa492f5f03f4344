/**
 * Headers on every console response. The CSP allows only sitrep's own script and stylesheet (no inline
 * script, no CDN), and no framing (clickjacking on the action forms).
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  // Incident data must not linger in shared caches or the back-forward cache of a signed-out browser.
  'cache-control': 'no-store',
};
