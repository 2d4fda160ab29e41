import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { AdminOnly, CurrentActor } from '../auth/auth.decorators';
import { CreateUserInput, ListUsersQuery, UpdateUserInput } from './dto/user-input.dto';
import { UsersService } from './users.service';
import type { UserView } from './user.view';

@Controller('api/users')
@AdminOnly()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListUsersQuery): Promise<{ items: UserView[]; total: number }> {
    return this.users.list(actor.organisationId, query);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<UserView> {
    return this.users.get(actor.organisationId, id);
  }

  @Post()
  create(@CurrentActor() actor: Actor, @Body() input: CreateUserInput): Promise<UserView> {
    return this.users.create(actor.organisationId, input);
  }

  @Patch(':id')
  update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() input: UpdateUserInput): Promise<UserView> {
    return this.users.update(actor, id, input);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.users.delete(actor, id);
  }
}
