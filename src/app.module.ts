import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from './auth/auth.module';
import { BookingsModule } from './bookings/bookings.module';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { buildDataSourceOptions } from './database/data-source';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { IntegrationsModule } from './integrations/integrations.module';
import { LoggingModule } from './logging/logging.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { ScimModule } from './scim/scim.module';
import { TeamsModule } from './teams/teams.module';
import { UsersModule } from './users/users.module';

/** Configuration and the database: what every entry point (HTTP app, CLI) needs first. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [TypeOrmModule.forRoot({ ...buildDataSourceOptions(config.database), retryAttempts: 2, retryDelay: 1000 }), DatabaseModule],
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      // Express tries routes in the order Nest registers them, which is this order (each module's
      // controllers, then those of the modules it imports first). A request walks past every route
      // ahead of its own, so the busiest come first: the load balancer's probe, then SCIM (each identity
      // provider cycle is thousands of calls), then the admin API.
      imports: [
        CoreModule.forRoot(config),
        LoggingModule.forRoot(config),
        HealthModule,
        ScimModule,
        OrganisationsModule,
        AuthModule,
        UsersModule,
        TeamsModule,
        BookingsModule,
        IntegrationsModule,
      ],
    };
  }
}
