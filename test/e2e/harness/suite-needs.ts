/**
 * The `describe` for a suite that needs a program outside npm (mariadbd, Chromium). `missing` says what is absent,
 * or is undefined when all is there. Without it the suite is skipped with the reason printed, so `npm test` works on
 * any machine; under REQUIRE_ALL_SUITES=1 (set by .ci/run) a skip would hide a failure, so one failing test says
 * what is missing instead.
 */
export function describeIfAvailable(suite: string, missing: string | undefined): jest.Describe {
  if (missing === undefined) return describe;
  if (process.env.REQUIRE_ALL_SUITES === '1') {
    describe(suite, () => {
      it('has what it needs to run', () => {
        throw new Error(`${suite}: ${missing}; REQUIRE_ALL_SUITES=1 forbids skipping`);
      });
    });
  } else {
    process.stdout.write(`${suite}: skipped, ${missing}\n`);
  }
  return describe.skip;
}
