import { hashPassword, UNMATCHABLE_PASSWORD_HASH, verifyPassword } from './password-hasher';

describe('password hashing', () => {
  it('verifies the right password and refuses others', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('correct horse');
    await expect(verifyPassword('correct horse battery staple', hash)).resolves.toBe(true);
    await expect(verifyPassword('Correct horse battery staple', hash)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('treats NFC and NFD spellings of one password as the same', async () => {
    const hash = await hashPassword('Zo\u00e9');
    await expect(verifyPassword('Zoe\u0301', hash)).resolves.toBe(true);
  });

  it('matches nothing with the placeholder hash or a malformed one', async () => {
    await expect(verifyPassword('', UNMATCHABLE_PASSWORD_HASH)).resolves.toBe(false);
    await expect(verifyPassword('x', 'not-a-hash')).resolves.toBe(false);
  });
});
