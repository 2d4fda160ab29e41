/** Failed sign-ins allowed per email address within the window before it is locked out. */
export const MAX_FAILED_LOGINS = 10;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Bounds memory under a flood of made-up addresses; the oldest entries go first. */
const MAX_TRACKED = 10_000;

/**
 * Counts failed admin sign-ins per email address, so a password cannot be guessed at speed: after
 * MAX_FAILED_LOGINS failures within LOGIN_WINDOW_MS the address is refused until the window ends,
 * right password or not. Keyed on the address rather than the IP, as guessing comes from many
 * addresses too. Per instance, in memory, like the SCIM rate limit (README).
 */
export class LoginAttempts {
  private readonly failures = new Map<string, { count: number; windowStart: number }>();

  /** Seconds until the address may try again, or 0 when it may try now. */
  retryAfterSeconds(key: string, now = Date.now()): number {
    const entry = this.failures.get(key);
    if (!entry || now - entry.windowStart >= LOGIN_WINDOW_MS) return 0;
    return entry.count >= MAX_FAILED_LOGINS ? Math.ceil((entry.windowStart + LOGIN_WINDOW_MS - now) / 1000) : 0;
  }

  recordFailure(key: string, now = Date.now()): void {
    const entry = this.failures.get(key);
    if (!entry || now - entry.windowStart >= LOGIN_WINDOW_MS) {
      this.failures.delete(key);
      if (this.failures.size >= MAX_TRACKED) this.failures.delete(this.failures.keys().next().value as string);
      this.failures.set(key, { count: 1, windowStart: now });
      return;
    }
    entry.count += 1;
  }

  recordSuccess(key: string): void {
    this.failures.delete(key);
  }
}
