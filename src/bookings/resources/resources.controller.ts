import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { Actor } from '../../auth/actor';
import { AdminOnly, CurrentActor, SignedIn } from '../../auth/auth.decorators';
import { RESOURCE_TYPES, type ResourceType } from './resource.entity';
import { ResourcesService, type ResourceView } from './resources.service';

const TYPE_MESSAGE = { message: `type must be one of: ${RESOURCE_TYPES.join(', ')}` };

export class CreateResourceInput {
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @IsIn(RESOURCE_TYPES, TYPE_MESSAGE)
  type!: ResourceType;
}

export class ListResourcesQuery {
  @IsOptional()
  @IsIn(RESOURCE_TYPES, TYPE_MESSAGE)
  type?: ResourceType;
}

@Controller('api/resources')
export class ResourcesController {
  constructor(private readonly resources: ResourcesService) {}

  @Post()
  @AdminOnly()
  create(@CurrentActor() actor: Actor, @Body() input: CreateResourceInput): Promise<ResourceView> {
    return this.resources.create(actor.organisationId, input);
  }

  @Get()
  @SignedIn()
  list(@CurrentActor() actor: Actor, @Query() query: ListResourcesQuery): Promise<{ items: ResourceView[] }> {
    return this.resources.list(actor.organisationId, query.type);
  }

  @Get(':id')
  @SignedIn()
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<ResourceView> {
    return this.resources.get(actor.organisationId, id);
  }
}
