/**
 * Inline validation of the data source settings, mirroring what the backend
 * accepts (pkg/plugin/settings.go) so mistakes show before Save & test. The
 * exported constants are the backend's (pkg/locus/config.go through
 * pkg/plugin/settings.go); pkg/plugin/settings_drift_test.go fails when they differ.
 */

/** MAX_CONCURRENT_LIMIT is the highest max concurrent requests the backend accepts. */
export const MAX_CONCURRENT_LIMIT = 10;
/** MAX_CACHE_SECONDS is the longest cache lifetime the backend accepts (30 days). */
export const MAX_CACHE_SECONDS = 30 * 24 * 3600;
/** DEFAULT_BASE_URL is the production Locus API origin the backend uses when the base URL is empty. */
export const DEFAULT_BASE_URL = 'https://api.locusenergy.com';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** validateBaseUrl accepts empty (default), https, or http to a loopback host. */
export function validateBaseUrl(text: string): string | undefined {
  const s = text.trim();
  if (!s) {
    return undefined;
  }
  const hint = `use an absolute https URL such as ${DEFAULT_BASE_URL}`;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return `"${s}" is not an absolute URL: ${hint}`;
  }
  if (u.username || u.password) {
    return `The URL must not contain user credentials: put them under Authentication and ${hint}`;
  }
  if (u.search || u.hash) {
    return `The URL must not have a query or fragment: ${hint}`;
  }
  if (u.protocol === 'https:') {
    return undefined;
  }
  if (u.protocol === 'http:') {
    return LOOPBACK.has(u.hostname) || /^127\./.test(u.hostname)
      ? undefined
      : `Plain http is only allowed for a loopback host (localhost, 127.0.0.1, ::1); ${hint}`;
  }
  return `Scheme "${u.protocol.replace(':', '')}" is not supported: ${hint}`;
}

/** validatePartnerId requires a positive integer. */
export function validatePartnerId(text: string): string | undefined {
  const s = text.trim();
  if (!s) {
    return 'Partner ID is required: enter your Locus partner ID (a positive integer such as 4242)';
  }
  return /^\d+$/.test(s) && Number(s) > 0 ? undefined : `"${s}" is not valid: use a positive integer such as 4242`;
}

/** validateRequired names a required text setting and where to find it. */
export function validateRequired(text: string | undefined, what: string, where: string): string | undefined {
  return text && text.trim() ? undefined : `${what} is required: ${where}`;
}

/** validateMaxConcurrent accepts empty (default 1) or an integer from 1 to MAX_CONCURRENT_LIMIT. */
export function validateMaxConcurrent(text: string): string | undefined {
  const s = text.trim();
  if (!s) {
    return undefined;
  }
  const n = Number(s);
  return /^\d+$/.test(s) && n >= 1 && n <= MAX_CONCURRENT_LIMIT
    ? undefined
    : `"${s}" is out of range: use a whole number from 1 to ${MAX_CONCURRENT_LIMIT}`;
}

/** validateCacheSeconds accepts empty or 0 (default) up to MAX_CACHE_SECONDS. */
export function validateCacheSeconds(text: string): string | undefined {
  const s = text.trim();
  if (!s) {
    return undefined;
  }
  const n = Number(s);
  return /^\d+$/.test(s) && n <= MAX_CACHE_SECONDS
    ? undefined
    : `"${s}" is not valid: use whole seconds from 0 (default) to ${MAX_CACHE_SECONDS} (30 days)`;
}

/** parseWhole turns a valid whole-number text into a number, and anything else into undefined. */
export function parseWhole(text: string): number | undefined {
  const s = text.trim();
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

/** MIN_SHARED_LEASE_SECONDS and MAX_SHARED_LEASE_SECONDS bound the shared state's slot lease (pkg/plugin/settings.go). */
export const MIN_SHARED_LEASE_SECONDS = 2;
export const MAX_SHARED_LEASE_SECONDS = 300;

/** validateSharedStateUrl accepts empty (no shared state) or a redis:// / rediss:// URL without a password. */
export function validateSharedStateUrl(text: string): string | undefined {
  const s = text.trim();
  if (!s) {
    return undefined;
  }
  const hint = 'use redis://host:6379/0, or rediss://host:6380/0 for TLS';
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return `This is not a Redis URL: ${hint}`;
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    return `Scheme "${u.protocol.replace(':', '')}" is not supported: ${hint}`;
  }
  if (u.password) {
    return 'The URL must not contain a password: put it in Shared state password, which Grafana keeps encrypted';
  }
  return undefined;
}

/** validateLeaseSeconds accepts empty (default 15) or a whole number of seconds within the bounds. */
export function validateLeaseSeconds(text: string): string | undefined {
  const s = text.trim();
  if (!s || s === '0') {
    return undefined;
  }
  const n = Number(s);
  return /^\d+$/.test(s) && n >= MIN_SHARED_LEASE_SECONDS && n <= MAX_SHARED_LEASE_SECONDS
    ? undefined
    : `"${s}" is out of range: use a whole number of seconds from ${MIN_SHARED_LEASE_SECONDS} to ${MAX_SHARED_LEASE_SECONDS}`;
}
