import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFile, main } from './extract.cli';

describe('extract CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'extract-cli-'));

  it('writes one prediction line per conversation', () => {
    const file = join(dir, 'c.jsonl');
    writeFileSync(file, [
      JSON.stringify({ id: 'a', region: 'US', messages: [{ author: 'visitor', text: 'My name is Sarah, call me at 555-123-4567' }] }),
      JSON.stringify({ id: 'b', messages: [{ author: 'ai', text: 'Call us at 555-123-0000' }, { author: 'visitor', text: 'ok' }] }),
    ].join('\n'));
    const lines = extractFile(file).map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, l.fields.firstName, l.fields.phone])).toEqual([['a', 'Sarah', '+15551234567'], ['b', null, null]]);
    expect(typeof lines[0].summary).toBe('string');
  });

  it('prints usage without a file', () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(main([])).toBe(2);
    expect(main([join(dir, 'missing.jsonl')])).toBe(1);
    write.mockRestore();
  });
});
