import { InitialSchema1764400000000 } from './1764400000000-initial-schema';

/** Every migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS = [InitialSchema1764400000000];
