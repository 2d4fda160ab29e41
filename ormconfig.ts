import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfigFromEnvironment } from './src/config/load-config';
import { buildDataSourceOptions } from './src/database/data-source';

// The DataSource for TypeORM's CLI (npm run migration:run / migration:generate); the app builds
// its own from the same function, so both always agree.
export default new DataSource(buildDataSourceOptions(loadConfigFromEnvironment().database));
