import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { IsString, Length, Matches } from 'class-validator';
import type { Actor } from '../auth/actor';
import { AdminOnly, CurrentActor } from '../auth/auth.decorators';
import { TeamsService, type TeamView, type TeamWithMembersView } from './teams.service';

export class CreateTeamInput {
  @IsString()
  @Length(1, 255)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;
}

@Controller('api/teams')
@AdminOnly()
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Post()
  create(@CurrentActor() actor: Actor, @Body() input: CreateTeamInput): Promise<TeamView> {
    return this.teams.create(actor.organisationId, input.name);
  }

  @Get()
  list(@CurrentActor() actor: Actor): Promise<{ items: TeamView[] }> {
    return this.teams.list(actor.organisationId);
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TeamWithMembersView> {
    return this.teams.get(actor.organisationId, id);
  }

  @Put(':id/members/:userId')
  @HttpCode(204)
  addMember(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('userId') userId: string): Promise<void> {
    return this.teams.addMember(actor.organisationId, id, userId);
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  removeMember(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('userId') userId: string): Promise<void> {
    return this.teams.removeMember(actor.organisationId, id, userId);
  }

  @Delete(':id')
  @HttpCode(204)
  delete(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.teams.delete(actor.organisationId, id);
  }
}
