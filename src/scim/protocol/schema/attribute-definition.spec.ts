import { AttributeDefinition, SchemaDefinition, attribute, defineAttributes, defineSchema } from './attribute-definition';
import { COMMON_ATTRIBUTES } from './common-attributes';
import { SCHEMAS } from './registry';

describe('attribute', () => {
  it('fills in the defaults of RFC 7643 §2.2', () => {
    expect(attribute('nickName', 'casual name')).toEqual({
      name: 'nickName',
      type: 'string',
      multiValued: false,
      required: false,
      caseExact: false,
      mutability: 'readWrite',
      returned: 'default',
      uniqueness: 'none',
      description: 'casual name',
    });
  });

  it('keeps what a declaration spells out', () => {
    const password = attribute('password', 'secret', { mutability: 'writeOnly', returned: 'never' });
    expect([password.mutability, password.returned, password.type]).toEqual(['writeOnly', 'never', 'string']);
  });
});

describe('defineSchema', () => {
  const schema = (...attributes: AttributeDefinition[]): SchemaDefinition => ({
    id: 'urn:example:scim:Test',
    name: 'Test',
    description: 'test schema',
    attributes,
  });

  it.each<[string, SchemaDefinition, RegExp]>([
    ['a schema id that is not a URN', { ...schema(), id: 'Test' }, /not a URN/],
    ['the same name twice in another case', schema(attribute('title', 't'), attribute('Title', 't')), /declared twice/],
    ['an empty description', schema(attribute('title', ' ')), /description/],
    ['a name with a dot', schema(attribute('name.givenName', 'g')), /invalid attribute name/],
    ['a name with a colon', schema(attribute('urn:x', 'x')), /invalid attribute name/],
    ['__proto__', schema(attribute('__proto__', 'p')), /invalid attribute name/],
    ['constructor', schema(attribute('constructor', 'c')), /invalid attribute name/],
    ['prototype', schema(attribute('Prototype', 'p')), /invalid attribute name/],
    ['a complex attribute without sub-attributes', schema(attribute('name', 'n', { type: 'complex' })), /needs sub-attributes/],
    [
      'a complex sub-attribute',
      schema(
        attribute('a', 'a', {
          type: 'complex',
          subAttributes: [attribute('b', 'b', { type: 'complex', subAttributes: [attribute('c', 'c')] })],
        }),
      ),
      /cannot be complex/,
    ],
    ['sub-attributes on a simple attribute', schema(attribute('a', 'a', { subAttributes: [attribute('b', 'b')] })), /only complex/],
    [
      'sub-attributes with the same name',
      schema(attribute('a', 'a', { type: 'complex', subAttributes: [attribute('b', 'b'), attribute('B', 'b')] })),
      /declared twice/,
    ],
    ['referenceTypes on a string', schema(attribute('a', 'a', { referenceTypes: ['User'] })), /referenceTypes/],
    ['maxLength on a boolean', schema(attribute('a', 'a', { type: 'boolean', maxLength: 5 })), /maxLength/],
    ['a maxLength of zero', schema(attribute('a', 'a', { maxLength: 0 })), /maxLength/],
  ])('refuses %s', (_description, definition, message) => {
    expect(() => defineSchema(definition)).toThrow(message);
  });

  it('accepts $ref as a sub-attribute name', () => {
    expect(() =>
      defineSchema(schema(attribute('owner', 'o', { type: 'complex', subAttributes: [attribute('$ref', 'r', { type: 'reference' })] }))),
    ).not.toThrow();
  });

  it('freezes the declaration all the way down', () => {
    const defined = defineSchema(
      schema(attribute('a', 'a', { type: 'complex', subAttributes: [attribute('b', 'b', { canonicalValues: ['x'] })] })),
    );
    expect(Object.isFrozen(defined)).toBe(true);
    expect(Object.isFrozen(defined.attributes)).toBe(true);
    expect(Object.isFrozen(defined.attributes[0].subAttributes?.[0])).toBe(true);
    expect(Object.isFrozen(defined.attributes[0].subAttributes?.[0].canonicalValues)).toBe(true);
  });

  it.each(SCHEMAS.map((definition) => [definition.id, definition] as const))('leaves the registry schema %s frozen', (_id, definition) => {
    expect(Object.isFrozen(definition.attributes[0])).toBe(true);
  });
});

describe('defineAttributes', () => {
  it('checks attributes that belong to no schema', () => {
    expect(() => defineAttributes('common', [attribute('id', 'i'), attribute('ID', 'i')])).toThrow(/declared twice/);
  });

  it('leaves the common attributes frozen all the way down', () => {
    expect(Object.isFrozen(COMMON_ATTRIBUTES)).toBe(true);
    const meta = COMMON_ATTRIBUTES.find((definition) => definition.name === 'meta');
    expect(Object.isFrozen(meta?.subAttributes?.[0])).toBe(true);
  });
});
