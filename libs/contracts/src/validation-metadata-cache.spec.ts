import { getMetadataStorage, IsString, validateSync } from 'class-validator';
import { memoiseValidationMetadata } from './validation-metadata-cache';

describe('memoiseValidationMetadata', () => {
  beforeAll(() => memoiseValidationMetadata());

  it('answers the same rules for a class without walking every class again', () => {
    class Visitor {
      @IsString() name!: string;
    }
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Visitor, '', false, false);
    const again = storage.getTargetValidationMetadatas(Visitor, '', false, false);

    expect(first.map((rule) => rule.propertyName)).toEqual(['name']);
    expect(again).toBe(first);
    expect(storage.groupByPropertyName(again)).toBe(storage.groupByPropertyName(first));
    expect(Object.keys(storage.groupByPropertyName(first))).toEqual(['name']);
  });

  it('sees rules declared later, and the rules a subclass inherits', () => {
    class Contact {
      @IsString() email!: string;
    }
    expect(validateSync(Object.assign(new Contact(), { email: 42 }))).toHaveLength(1);

    class Lead extends Contact {
      @IsString() status!: string;
    }
    const errors = validateSync(Object.assign(new Lead(), { email: 42, status: 7 }));
    expect(errors.map((error) => error.property).sort()).toEqual(['email', 'status']);
    expect(validateSync(Object.assign(new Lead(), { email: 'jo@example.com', status: 'new' }))).toEqual([]);
  });
});
