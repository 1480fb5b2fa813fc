import { addressParts } from './account-candidates';

describe('splitting a contact\'s address for the duplicate scorer', () => {
  it('reads number, street and locality from the common shape', () => {
    expect(addressParts('12 Wallaby Place, Sydney')).toEqual({ streetNumber: '12', street: 'Wallaby Place', locality: 'Sydney' });
    expect(addressParts('12b High St, Springfield, 2000')).toEqual({ streetNumber: '12b', street: 'High St', locality: 'Springfield' });
  });

  it('keeps an address without a number as the street, and nothing for a blank one', () => {
    expect(addressParts('Rose Cottage')).toEqual({ street: 'Rose Cottage' });
    expect(addressParts('  ')).toEqual({});
    expect(addressParts(null)).toEqual({});
  });
});
