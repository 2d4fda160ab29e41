import { Module } from '@nestjs/common';
import { UsersController } from './users.controller';
import { UserLifecycleService } from './user-lifecycle.service';
import { UsersService } from './users.service';

@Module({ controllers: [UsersController], providers: [UsersService, UserLifecycleService], exports: [UsersService, UserLifecycleService] })
export class UsersModule {}
