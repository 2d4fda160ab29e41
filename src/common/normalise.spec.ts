import { containsPattern, normaliseKey } from './normalise';

describe('normaliseKey', () => {
  it('lower-cases and composes Unicode so visually equal names collide', () => {
    expect(normaliseKey('Alice@Example.COM')).toBe('alice@example.com');
    expect(normaliseKey('Zo\u0065\u0301')).toBe(normaliseKey('ZO\u00c9'));
  });
});

describe('containsPattern', () => {
  it('escapes LIKE wildcards and the escape character itself', () => {
    expect(containsPattern('50%_off!')).toBe('%50!%!_off!!%');
    expect(containsPattern('plain')).toBe('%plain%');
  });
});
