export { parsePath } from './parse-path';
export type { PatchPath } from './parse-path';
