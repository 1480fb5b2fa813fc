import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './dedupe.cli';

const HEADER = 'rec_id, given_name, surname, street_number, address_1, address_2, suburb, postcode, state, date_of_birth, soc_sec_id';

function run(argv: string[]): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('dedupe command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dedupe-cli-'));
  const file = join(dir, 'small.csv');
  writeFileSync(
    file,
    [
      HEADER,
      'rec-1-org, mitchell, green, 7, wallaby place, delmar, cleveland, 2119, sa, 19560409, 1804974',
      'rec-1-dup-0, mitchell, gren, 7, wallaby place, delmar, cleveland, 2119, sa, 19650409, 1804974',
      'rec-2-org, harley, mccarthy, 177, pridham street, milton, marsden, 3165, nsw, 19080419, 6089216',
      'rec-3-org, madeline, mason, 54, hoseason street, lakefront, granville, 4881, nsw, 19081128, 2185997',
    ].join('\n'),
  );

  it('writes the pairs and prints precision, recall, F1 and timing', () => {
    const pairs = join(dir, 'pairs.csv');
    const { code, out } = run([file, '--pairs', pairs, '--fixed-priors']);
    expect(code).toBe(0);
    expect(out).toContain('precision 1.0000  recall 1.0000  F1 1.0000');
    expect(out).toMatch(/time: load \d+ ms/);
    expect(readFileSync(pairs, 'utf8')).toBe('rec_id_a,rec_id_b\nrec-1-org,rec-1-dup-0\n');
  });

  it('prints usage for --help, and exits 2 on bad arguments, 1 on a missing file', () => {
    expect(run(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('usage: npm run -s dedupe') });
    expect(run([])).toMatchObject({ code: 2, err: expect.stringContaining('expected one or two Febrl CSV files') });
    expect(run([join(dir, 'absent.csv')])).toMatchObject({ code: 1, err: expect.stringContaining('dedupe failed: ENOENT') });
  });
});
