import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { UsersModule } from '../users/users.module';
import { ProvisioningLogService } from './audit/provisioning-log.service';
import { ScimRequestLogService } from './audit/scim-request-log.service';
import { ScimAuthModule } from './auth/scim-auth.module';
import { TokenBucketStorage } from './auth/token-bucket.storage';
import { ScimGroupsService } from './groups/scim-groups.service';
import { ScimDiscoveryController } from './http/scim-discovery.controller';
import { ScimGroupsController } from './http/scim-groups.controller';
import { ScimResponseMiddleware } from './http/scim-response.middleware';
import { ScimUsersController } from './http/scim-users.controller';
import { ScimGroupRepository } from './persistence/scim-group.repository';
import { ScimUserRepository } from './persistence/scim-user.repository';
import { ScimUsersService } from './users/scim-users.service';

/** The SCIM 2.0 service provider: `/scim/v2/<organisation slug>/…`, one bearer token per organisation. */
@Module({
  imports: [
    ScimAuthModule,
    UsersModule,
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: ({ scimRateLimit }: AppConfig) => ({
        // In the guard's terms, `limit` calls per `ttl` ms; the token bucket reads that as a burst of
        // `limit` earned back at limit / ttl, i.e. SCIM_RATE_LIMIT_PER_SECOND.
        throttlers: [{ ttl: Math.ceil((scimRateLimit.burst / scimRateLimit.perSecond) * 1000), limit: scimRateLimit.burst }],
        // One budget per organisation across all SCIM routes (the default key is per route).
        generateKey: (_context, tracker, name) => `${name}:${tracker}`,
        storage: new TokenBucketStorage(),
      }),
    }),
  ],
  // Users first: Express tries routes in this order, and user calls are most of an identity provider's cycle.
  controllers: [ScimUsersController, ScimGroupsController, ScimDiscoveryController],
  providers: [
    ScimUsersService,
    ScimUserRepository,
    ScimGroupsService,
    ScimGroupRepository,
    ScimRequestLogService,
    ProvisioningLogService,
    // Mounted on the SCIM path prefix by configureApp, as one Express middleware layer.
    ScimResponseMiddleware,
  ],
  exports: [ProvisioningLogService],
})
export class ScimModule {}
