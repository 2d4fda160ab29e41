import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { Strategy } from 'passport-http-bearer';
import type { OrgRef } from './org-ref';
import { ScimCredentialsService } from './scim-credentials.service';

export const SCIM_BEARER_STRATEGY = 'scim-bearer';

/** Bearer tokens of the SCIM tenant URLs: a token opens only its own organisation's URL. */
@Injectable()
export class ScimBearerStrategy extends PassportStrategy(Strategy, SCIM_BEARER_STRATEGY) {
  constructor(private readonly credentials: ScimCredentialsService) {
    super({ passReqToCallback: true, realm: 'SCIM' });
  }

  validate(request: Request, token: string): Promise<OrgRef | null> {
    const organisation = request.params.organisation;
    return typeof organisation === 'string' ? this.credentials.authenticate(organisation, token) : Promise.resolve(null);
  }
}
