import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { normaliseKey } from '../common/normalise';
import { UserEmail } from './user-contact.entity';
import type { User } from './user.entity';

/**
 * `users.email` is the user's primary email, kept beside the full list in `user_emails` so that
 * login and the admin API read one column. This is the one place that keeps the two in step when
 * the app (not the identity provider) sets the email: the primary element takes the new address,
 * or a primary work email is added when there is none.
 */
export async function setPrimaryEmail(em: EntityManager, user: User, email: string): Promise<void> {
  user.email = email;
  user.emailNormalized = normaliseKey(email);
  const primary =
    (await em.findOne(UserEmail, { where: { userId: user.id, isPrimary: true } })) ??
    (await em.findOne(UserEmail, { where: { userId: user.id }, order: { position: 'ASC' } }));
  if (primary) {
    await em.update(UserEmail, { id: primary.id }, { value: email, valueNormalized: user.emailNormalized, isPrimary: true });
    return;
  }
  await em.insert(UserEmail, {
    id: randomUUID(),
    organisationId: user.organisationId,
    userId: user.id,
    position: 0,
    type: 'work',
    isPrimary: true,
    value: email,
    valueNormalized: user.emailNormalized,
    display: null,
  });
}
