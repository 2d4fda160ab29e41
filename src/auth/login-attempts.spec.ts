import { LOGIN_WINDOW_MS, LoginAttempts, MAX_FAILED_LOGINS } from './login-attempts';

describe('LoginAttempts', () => {
  it('locks an address after too many failures, until the window ends', () => {
    const attempts = new LoginAttempts();
    const start = 1_000_000;
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++) attempts.recordFailure('a@x', start + i);
    expect(attempts.retryAfterSeconds('a@x', start + 100)).toBe(0);
    attempts.recordFailure('a@x', start + 200);
    expect(attempts.retryAfterSeconds('a@x', start + 300)).toBe(Math.ceil((LOGIN_WINDOW_MS - 300) / 1000));
    expect(attempts.retryAfterSeconds('b@x', start + 300)).toBe(0);
    expect(attempts.retryAfterSeconds('a@x', start + LOGIN_WINDOW_MS)).toBe(0);
  });

  it('forgets failures after a success', () => {
    const attempts = new LoginAttempts();
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) attempts.recordFailure('a@x', 5);
    attempts.recordSuccess('a@x');
    expect(attempts.retryAfterSeconds('a@x', 6)).toBe(0);
  });
});
