export { applyPatch } from './apply-patch';
export type { PatchResult } from './apply-patch';
export type { MemberDelta } from './member-delta';
export { parsePatchRequest } from './patch-request';
export type { PatchOpName, PatchOperation } from './patch-request';
