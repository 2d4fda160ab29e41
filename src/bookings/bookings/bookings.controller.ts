import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { Actor } from '../../auth/actor';
import { CurrentActor, SignedIn } from '../../auth/auth.decorators';
import { IsTimestamp, toDate } from './timestamp';
import { BookingsService, type BookingView } from './bookings.service';
import type { BookingStatus } from './booking.entity';

export class CreateBookingInput {
  @IsString() @MaxLength(36) resourceId!: string;
  @IsOptional() @IsString() @MaxLength(36) userId?: string;
  @IsTimestamp() start!: string;
  @IsTimestamp() end!: string;
}

export class ListBookingsQuery {
  @IsOptional() @IsString() @MaxLength(36) userId?: string;
  @IsOptional() @IsString() @MaxLength(36) resourceId?: string;
  @IsOptional() @IsIn(['confirmed', 'cancelled']) status?: BookingStatus;
  @IsOptional() @IsTimestamp() from?: string;
  @IsOptional() @IsTimestamp() to?: string;
}

@Controller('api/bookings')
@SignedIn()
export class BookingsController {
  constructor(private readonly bookings: BookingsService) {}

  @Post()
  book(@CurrentActor() actor: Actor, @Body() input: CreateBookingInput): Promise<BookingView> {
    return this.bookings.book(actor, { ...input, start: toDate(input.start), end: toDate(input.end) });
  }

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListBookingsQuery): Promise<{ items: BookingView[] }> {
    return this.bookings.list(actor, {
      ...query,
      from: query.from ? toDate(query.from) : undefined,
      to: query.to ? toDate(query.to) : undefined,
    });
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<BookingView> {
    return this.bookings.get(actor, id);
  }

  @Delete(':id')
  @HttpCode(204)
  cancel(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.bookings.cancel(actor, id);
  }
}
