import { SLUG_PATTERN, slugFromName } from './slug';

describe('slugFromName', () => {
  it.each([
    ['Acme Corp', 'acme-corp'],
    ['  Acme   Corp. ', 'acme-corp'],
    ['Café Zürich', 'cafe-zurich'],
    ['ACME_2024 / EMEA', 'acme-2024-emea'],
    ['---', ''],
    ['日本', ''],
  ])('%j → %j', (name, slug) => {
    expect(slugFromName(name)).toBe(slug);
  });

  it('never exceeds 63 characters nor ends in a hyphen after cutting', () => {
    const slug = slugFromName(`${'a'.repeat(62)} b`);
    expect(slug.length).toBeLessThanOrEqual(63);
    expect(slug).toMatch(SLUG_PATTERN);
  });
});

describe('SLUG_PATTERN', () => {
  it.each(['acme', 'a', 'acme-corp', 'a1-b2'])('accepts %j', (slug) => expect(SLUG_PATTERN.test(slug)).toBe(true));
  it.each(['', 'Acme', '-acme', 'acme-', 'ac me', 'a'.repeat(64), 'acme/x'])('refuses %j', (slug) =>
    expect(SLUG_PATTERN.test(slug)).toBe(false),
  );
});
