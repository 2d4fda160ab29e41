import { applyDecorators } from '@nestjs/common';
import { IsISO8601, Matches } from 'class-validator';

/**
 * An ISO 8601 date-time with an explicit offset ("2030-01-02T09:00:00Z" or "+01:00"). Without
 * one the time would silently depend on the server's time zone.
 */
export const IsTimestamp = () =>
  applyDecorators(
    IsISO8601({ strict: true }, { message: '$property must be an ISO 8601 date-time, e.g. 2030-01-02T09:00:00Z' }),
    Matches(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i, {
      message: '$property must include a time and a UTC offset (Z or ±hh:mm)',
    }),
  );

export const toDate = (timestamp: string): Date => new Date(timestamp);
