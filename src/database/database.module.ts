import { Global, Module } from '@nestjs/common';
import { SqliteStatistics } from './sqlite-statistics.service';
import { TransactionService } from './transaction.service';

@Global()
@Module({ providers: [TransactionService, SqliteStatistics], exports: [TransactionService] })
export class DatabaseModule {}
