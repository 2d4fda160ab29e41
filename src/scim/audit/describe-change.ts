type Json = Record<string, unknown>;

const IGNORED = new Set(['schemas', 'id', 'meta', 'active']);

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The attributes that differ between two SCIM representations of a resource, by name only
 * (`displayName`, `name.givenName`, `emails`, `urn:…:User:department`): the provisioning log
 * says what changed, never to what, so no personal data or secret ends up in it. `active` is left
 * out: its changes are events of their own (deactivate, reactivate).
 */
export function changedAttributes(before: Json, after: Json): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)].filter((name) => !IGNORED.has(name)));
  const changed: string[] = [];
  for (const name of [...names].sort()) {
    const left = before[name];
    const right = after[name];
    if (isObject(left) && isObject(right)) {
      const prefix = name.startsWith('urn:') ? `${name}:` : `${name}.`;
      changed.push(...changedAttributes(left, right).map((sub) => `${prefix}${sub}`));
    } else if (JSON.stringify(left) !== JSON.stringify(right)) {
      changed.push(name);
    }
  }
  return changed;
}
