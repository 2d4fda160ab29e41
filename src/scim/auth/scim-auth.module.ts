import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { ScimBearerStrategy } from './scim-bearer.strategy';
import { ScimCredentialsService } from './scim-credentials.service';

@Module({
  imports: [PassportModule],
  providers: [ScimCredentialsService, ScimBearerStrategy],
  exports: [ScimCredentialsService],
})
export class ScimAuthModule {}
