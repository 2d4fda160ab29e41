import { AttributePath, attributePathKey, FilterNode } from './filter-ast';
import table from './evaluate-filter.cases.json';
import { evaluateFilter } from './evaluate-filter';
import { parseFilter } from './parse-filter';

interface Case {
  filter: string;
  matches: string[];
  caseExact?: string[];
}

const resources: Record<string, unknown> = table.resources;
const cases: Case[] = table.cases;

describe('evaluateFilter', () => {
  it.each(cases)('$filter matches $matches (caseExact: $caseExact)', ({ filter, matches, caseExact = [] }) => {
    const ast = parseFilter(filter);
    const isCaseExact = (path: AttributePath) => caseExact.includes(attributePathKey(path));
    const matching = Object.keys(resources).filter((name) => evaluateFilter(ast, resources[name], { isCaseExact }));
    expect(matching).toEqual(matches);
  });

  describe('on one element of a multi-valued attribute (PATCH path filters)', () => {
    const member = { value: '2819C223-7f76-453a-919d-413861904646', display: 'Ann Lee' };
    const filter = parseFilter('value eq "2819c223-7f76-453a-919d-413861904646"');

    it('reads the names as sub-attributes of the element', () => {
      expect(evaluateFilter(filter, member, { elementOf: { name: 'members' } })).toBe(true);
    });

    it('asks isCaseExact about the full path', () => {
      const asked: string[] = [];
      const isCaseExact = (path: AttributePath) => {
        asked.push(attributePathKey(path));
        return true;
      };
      expect(evaluateFilter(filter, member, { elementOf: { name: 'members' }, isCaseExact })).toBe(false);
      expect(asked).toEqual(['members.value']);
    });
  });

  describe('prototype safety (trap T23)', () => {
    // The parser refuses these names; a hand-built tree must not reach a prototype either.
    const named = (name: string, subAttribute?: string): FilterNode => ({
      kind: 'present',
      path: subAttribute === undefined ? { name } : { name, subAttribute },
    });
    const resource = JSON.parse('{"__proto__": {"isAdmin": true}, "constructor": "c", "prototype": {"x": 1}, "toString": "s"}');

    it.each([
      ['__proto__', undefined],
      ['__proto__', 'isAdmin'],
      ['constructor', undefined],
      ['constructor', 'prototype'],
      ['prototype', 'x'],
      ['hasOwnProperty', undefined],
      ['isAdmin', undefined],
    ])('never finds %s.%s', (name, subAttribute) => {
      expect(evaluateFilter(named(name, subAttribute), resource)).toBe(false);
      expect(evaluateFilter(named(name, subAttribute), {})).toBe(false);
    });

    it('still reads ordinary own keys', () => {
      expect(evaluateFilter(named('toString'), resource)).toBe(true);
      expect(evaluateFilter(named('toString'), {})).toBe(false);
    });
  });

  it('never throws, whatever the resource is', () => {
    const filter = parseFilter(
      'userName eq "x" or emails[type eq "work"].value co "@" or meta.lastModified gt "2025-01-01T00:00:00Z" or not (name.givenName pr)',
    );
    for (const resource of [undefined, null, 0, 'text', true, [], [{}], {}, Object.create(null), { emails: [[null]], name: [1, 'x'] }]) {
      expect(typeof evaluateFilter(filter, resource)).toBe('boolean');
    }
  });
});
