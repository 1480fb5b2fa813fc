import { applyFieldValues, fillBlanksFrom, sourceOf, type FieldSources, type PrecedenceSubject } from './field-precedence';

function contact(values: Partial<PrecedenceSubject> = {}, fieldSources: FieldSources = {}): PrecedenceSubject {
  return { firstName: null, lastName: null, address: null, postalCode: null, ...values, fieldSources };
}

describe('field precedence', () => {
  it('lets any source fill a blank and remembers who filled it', () => {
    const c = contact();
    expect(applyFieldValues(c, { firstName: 'John', postalCode: '10001' }, 'ai')).toEqual(['firstName', 'postalCode']);
    expect(c).toMatchObject({ firstName: 'John', postalCode: '10001', fieldSources: { firstName: 'ai', postalCode: 'ai' } });
  });

  it('never lets the AI overwrite a value, not even its own', () => {
    const c = contact({ firstName: 'John' }, { firstName: 'ai' });
    expect(applyFieldValues(c, { firstName: 'Jon' }, 'ai')).toEqual([]);
    expect(c.firstName).toBe('John');
  });

  it('never lets the AI clear a value', () => {
    const c = contact({ address: '1 Main St' }, { address: 'ai' });
    expect(applyFieldValues(c, { address: null }, 'ai')).toEqual([]);
    expect(c.address).toBe('1 Main St');
  });

  it('lets the business\'s systems overwrite AI values and their own, but not a member\'s edit', () => {
    const c = contact({ firstName: 'Jon', lastName: 'Smyth' }, { firstName: 'ai', lastName: 'member' });
    expect(applyFieldValues(c, { firstName: 'John', lastName: 'Smith' }, 'system')).toEqual(['firstName']);
    expect(c).toMatchObject({ firstName: 'John', lastName: 'Smyth', fieldSources: { firstName: 'system', lastName: 'member' } });
    expect(applyFieldValues(c, { firstName: 'Johnny' }, 'system')).toEqual(['firstName']);
    expect(c.firstName).toBe('Johnny');
  });

  it('lets a member overwrite anything, including another member\'s edit', () => {
    const c = contact({ firstName: 'John', lastName: 'Smith' }, { firstName: 'system', lastName: 'member' });
    expect(applyFieldValues(c, { firstName: 'Jack', lastName: 'Smithe' }, 'member')).toEqual(['firstName', 'lastName']);
    expect(c.fieldSources).toEqual({ firstName: 'member', lastName: 'member' });
  });

  it('treats a value stored before sources were kept as the AI\'s', () => {
    const c = contact({ firstName: 'John' });
    expect(sourceOf(c, 'firstName')).toBe('ai');
    expect(sourceOf(c, 'lastName')).toBeUndefined();
    expect(applyFieldValues(c, { firstName: 'Jon' }, 'ai')).toEqual([]);
    expect(applyFieldValues(c, { firstName: 'Jon' }, 'system')).toEqual(['firstName']);
  });

  it('leaves fields that were not given alone, and clears with null or an empty string', () => {
    const c = contact({ firstName: 'John', lastName: 'Smith' }, { firstName: 'system', lastName: 'system' });
    expect(applyFieldValues(c, { firstName: null, lastName: '  ' }, 'member')).toEqual(['firstName', 'lastName']);
    expect(c).toMatchObject({ firstName: null, lastName: null, fieldSources: {} });
    expect(applyFieldValues(c, { firstName: undefined }, 'member')).toEqual([]);
  });

  it('does not let a lower source clear a higher one\'s value', () => {
    const c = contact({ firstName: 'John' }, { firstName: 'member' });
    expect(applyFieldValues(c, { firstName: null }, 'system')).toEqual([]);
    expect(c.firstName).toBe('John');
  });

  it('upgrades the source when a higher source confirms the same value, without reporting a change', () => {
    const c = contact({ firstName: 'John' }, { firstName: 'ai' });
    expect(applyFieldValues(c, { firstName: ' John ' }, 'member')).toEqual([]);
    expect(c.fieldSources.firstName).toBe('member');
    expect(applyFieldValues(c, { firstName: 'John' }, 'system')).toEqual([]);
    expect(c.fieldSources.firstName).toBe('member');
  });

  it('does not change the caller\'s sources object in place', () => {
    const sources: FieldSources = { firstName: 'ai' };
    const c = contact({ firstName: 'John' }, sources);
    applyFieldValues(c, { firstName: 'Jon' }, 'member');
    expect(sources).toEqual({ firstName: 'ai' });
  });

  it('on merge, keeps the survivor\'s values and fills its blanks with the other\'s, sources included', () => {
    const survivor = contact({ firstName: 'John' }, { firstName: 'ai' });
    const other = contact({ firstName: 'Jonathan', lastName: 'Smith', postalCode: '10001' }, { lastName: 'member' });
    expect(fillBlanksFrom(survivor, other)).toEqual(['lastName', 'postalCode']);
    expect(survivor).toMatchObject({
      firstName: 'John', lastName: 'Smith', postalCode: '10001', address: null,
      fieldSources: { firstName: 'ai', lastName: 'member', postalCode: 'ai' },
    });
  });
});
