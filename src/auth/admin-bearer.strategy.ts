import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-http-bearer';
import type { Actor } from './actor';
import { AuthService } from './auth.service';

export const ADMIN_BEARER_STRATEGY = 'admin-bearer';

@Injectable()
export class AdminBearerStrategy extends PassportStrategy(Strategy, ADMIN_BEARER_STRATEGY) {
  constructor(private readonly auth: AuthService) {
    super();
  }

  /** Returning null makes passport answer 401. */
  validate(token: string): Promise<Actor | null> {
    return this.auth.actorForToken(token);
  }
}
