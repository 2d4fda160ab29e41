import { Module } from '@nestjs/common';
import { BookingsController } from './bookings/bookings.controller';
import { BookingsService } from './bookings/bookings.service';
import { ResourcesController } from './resources/resources.controller';
import { ResourcesService } from './resources/resources.service';

@Module({
  controllers: [ResourcesController, BookingsController],
  providers: [ResourcesService, BookingsService],
  exports: [BookingsService],
})
export class BookingsModule {}
