import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, LessThan, MoreThan } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DomainError } from '../common/domain-error';
import { normaliseKey } from '../common/normalise';
import { generateSecretToken, hashSecretToken } from '../common/secret-token';
import { TransactionService } from '../database/transaction.service';
import { User } from '../users/user.entity';
import type { Actor } from './actor';
import { AdminSession } from './admin-session.entity';
import { LoginAttempts } from './login-attempts';
import { UNMATCHABLE_PASSWORD_HASH, verifyPassword } from './password-hasher';

@Injectable()
export class AuthService {
  private readonly attempts = new LoginAttempts();

  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: TransactionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Signs in with email and password. The same email may exist in several organisations; the
   * password decides which account it is, and `organisation` (a slug) settles the rare case
   * where the same password opens more than one.
   */
  async login(email: string, password: string, organisationSlug?: string): Promise<{ accessToken: string; expiresAt: string }> {
    const attemptKey = normaliseKey(email);
    const retryAfter = this.attempts.retryAfterSeconds(attemptKey);
    if (retryAfter > 0) {
      throw new DomainError('TOO_MANY_LOGIN_ATTEMPTS', 'too many failed sign-ins for this email; try again later', {
        retryAfterSeconds: retryAfter,
      });
    }
    const candidates = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .innerJoin('user.organisation', 'organisation')
      .where('user.emailNormalized = :email', { email: normaliseKey(email) })
      .andWhere('user.active = :active', { active: true })
      .andWhere('user.passwordHash IS NOT NULL')
      .andWhere(organisationSlug ? 'organisation.slug = :slug' : '1 = 1', { slug: organisationSlug })
      .getMany();

    const matches: User[] = [];
    for (const candidate of candidates) {
      if (await verifyPassword(password, candidate.passwordHash ?? UNMATCHABLE_PASSWORD_HASH)) matches.push(candidate);
    }
    // Same work whether or not the email exists, so timing does not reveal accounts.
    if (candidates.length === 0) await verifyPassword(password, UNMATCHABLE_PASSWORD_HASH);

    if (matches.length !== 1) {
      this.attempts.recordFailure(attemptKey);
      throw new DomainError(
        'INVALID_CREDENTIALS',
        matches.length > 1
          ? 'this email and password open several organisations; add "organisation" (its slug)'
          : 'wrong email or password',
      );
    }
    this.attempts.recordSuccess(attemptKey);
    return this.openSession(matches[0]);
  }

  /** The caller behind an admin API token, or null when the token is unknown, expired or its user inactive. */
  async actorForToken(token: string): Promise<Actor | null> {
    const session = await this.dataSource.getRepository(AdminSession).findOne({
      where: { tokenHash: hashSecretToken(token), expiresAt: MoreThan(new Date()) },
      relations: { user: true },
    });
    const user = session?.user;
    if (!user || !user.active) return null;
    return {
      sessionId: session.id,
      userId: user.id,
      organisationId: user.organisationId,
      role: user.role,
      canBookOnBehalf: user.canBookOnBehalf,
    };
  }

  /**
   * Signs out: the session behind the caller's token ends on the server, so the token is refused from now on, also
   * if a copy of it outlives the browser tab (a shared computer, a saved request). The user's other sessions go on.
   */
  async logout(actor: Actor): Promise<void> {
    await this.dataSource.getRepository(AdminSession).delete({ id: actor.sessionId, userId: actor.userId });
  }

  private openSession(user: User): Promise<{ accessToken: string; expiresAt: string }> {
    const accessToken = generateSecretToken();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlMinutes * 60_000);
    return this.transactions.run(async (em) => {
      await em.delete(AdminSession, { userId: user.id, expiresAt: LessThan(now) });
      await em.insert(AdminSession, {
        id: randomUUID(),
        tokenHash: hashSecretToken(accessToken),
        userId: user.id,
        createdAt: now,
        expiresAt,
      });
      return { accessToken, expiresAt: expiresAt.toISOString() };
    });
  }
}
