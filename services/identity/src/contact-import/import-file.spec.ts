import { ImportFileError, readImportFile } from './import-file';

const read = (text: string, maxRows = 100) => readImportFile(text, 'US', maxRows);

function fileError(text: string, maxRows = 100): { line: number; reason: string } {
  try {
    read(text, maxRows);
  } catch (error) {
    if (error instanceof ImportFileError) return { line: error.line, reason: error.reason };
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('reading a contacts CSV', () => {
  it('reads rows with normalised emails and phones, several per cell, and any header spelling', () => {
    const file = read('First Name,last_name,E-mail,phone,Postal Code\nJohn,Smith,John@X.com; j@y.com,(555) 123-4567,10001\n');
    expect(file).toEqual({
      rows: [{
        line: 2, values: { firstName: 'John', lastName: 'Smith', postalCode: '10001' },
        identifiers: [{ kind: 'email', value: 'john@x.com' }, { kind: 'email', value: 'j@y.com' }, { kind: 'phone', value: '+15551234567' }],
      }],
      rejected: [],
    });
  });

  it('leaves empty cells out, so they never clear a value', () => {
    expect(read('first_name,last_name,email\nAnn,,ann@x.com\n').rows[0]!.values).toEqual({ firstName: 'Ann' });
  });

  it('rejects a row with a bad value or nothing to know the contact by, and keeps the others', () => {
    const file = read('first_name,email,phone\nAnn,ann@x.com,\nBob,not-an-email,\n,,\nCy,,12\n');
    expect(file.rows.map((r) => r.line)).toEqual([2]);
    expect(file.rejected).toEqual([
      { line: 3, reason: '"not-an-email" is not an e-mail address' },
      { line: 4, reason: 'nothing to know the contact by: give a name, an email or a phone' },
      { line: 5, reason: '"12" is not a phone number (add the country code if it is not in US)' },
    ]);
  });

  it('counts lines from where a record starts, across quoted line breaks and blank lines', () => {
    const file = read('first_name,address,email\nAnn,"1 High St\nFlat 2",ann@x.com\n\nBob,,bad\n');
    expect(file.rows[0]!).toMatchObject({ line: 2, values: { address: '1 High St\nFlat 2' } });
    expect(file.rejected).toEqual([{ line: 5, reason: '"bad" is not an e-mail address' }]);
  });

  it('rejects the whole file for a wrong header, naming the line and the reason', () => {
    expect(fileError('')).toEqual({ line: 1, reason: expect.stringContaining('the file is empty') });
    expect(fileError('first_name,shoe_size\nAnn,5\n')).toEqual({ line: 1, reason: expect.stringContaining('unknown column "shoe_size"') });
    expect(fileError('email,Email\na@b.co,c@d.co\n')).toEqual({ line: 1, reason: expect.stringContaining('appears twice') });
    expect(fileError('address,postal_code\n1 High St,10001\n')).toEqual({ line: 1, reason: expect.stringContaining('no name, email or phone column') });
  });

  it('rejects the whole file when it is not CSV', () => {
    expect(fileError('first_name,email\nAnn,ann@x.com\nBob,"bob@x.com\n')).toEqual({ line: 3, reason: expect.stringContaining('not readable as CSV') });
    expect(fileError('first_name,email\nAnn,ann@x.com\nBob\n')).toEqual({ line: 3, reason: expect.stringContaining('Invalid Record Length') });
  });

  it('rejects a file with more rows than allowed', () => {
    expect(fileError('first_name\nA\nB\nC\n', 2)).toEqual({ line: 4, reason: 'the file has more than 2 rows: split it into smaller files' });
  });
});
