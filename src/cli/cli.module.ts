import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule } from '../app.module';
import type { AppConfig } from '../config/app-config';
import { OrganisationsModule } from '../organisations/organisations.module';
import { ScimAuthModule } from '../scim/auth/scim-auth.module';
import { UsersModule } from '../users/users.module';

/** The services the CLI drives: the same ones the HTTP API calls, without the HTTP layer. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: CliModule, imports: [CoreModule.forRoot(config), OrganisationsModule, UsersModule, ScimAuthModule] };
  }
}
