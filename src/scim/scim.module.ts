import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { ScimRequestLogService } from './audit/scim-request-log.service';
import { ScimAuthModule } from './auth/scim-auth.module';
import { ScimDiscoveryController } from './http/scim-discovery.controller';
import { ScimUsersController } from './http/scim-users.controller';
import { ScimUserRepository } from './persistence/scim-user.repository';
import { ScimUsersService } from './users/scim-users.service';

/** The SCIM 2.0 service provider: `/scim/v2/<organisation slug>/…`, one bearer token per organisation. */
@Module({
  imports: [ScimAuthModule, UsersModule],
  controllers: [ScimDiscoveryController, ScimUsersController],
  providers: [ScimUsersService, ScimUserRepository, ScimRequestLogService],
})
export class ScimModule {}
