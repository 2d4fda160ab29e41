import { Module } from '@nestjs/common';
import { ScimAuthModule } from '../scim/auth/scim-auth.module';
import { ScimModule } from '../scim/scim.module';
import { ScimIntegrationController } from './scim-integration.controller';
import { ScimIntegrationService } from './scim-integration.service';

@Module({
  imports: [ScimModule, ScimAuthModule],
  controllers: [ScimIntegrationController],
  providers: [ScimIntegrationService],
})
export class IntegrationsModule {}
