import { generateSecretToken, hashSecretToken, secretTokenMatches } from './secret-token';

describe('secret tokens', () => {
  it('carry 256 bits and never repeat', () => {
    const tokens = new Set(Array.from({ length: 100 }, generateSecretToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('match only their own hash', () => {
    const token = generateSecretToken();
    const hash = hashSecretToken(token);
    expect(hash).not.toContain(token);
    expect(secretTokenMatches(token, hash)).toBe(true);
    expect(secretTokenMatches(generateSecretToken(), hash)).toBe(false);
    expect(secretTokenMatches(token, 'abcd')).toBe(false);
  });
});
