import { randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AccountSettingsService } from '../../services/identity/src/account-settings/account-settings.service';
import { ContactSearchService } from '../../services/identity/src/contact-search/contact-search.service';
import type { ContactSearchQuery } from '../../services/identity/src/contact-search/contact-search.dto';
import { FIRST_NAMES, SURNAMES } from './synthetic-contacts';

/**
 * GET /v1/contacts as the service runs it (ContactSearchService, its SQL and its loading of identifiers), on
 * the synthetic account: exact email, a phone written another way, a common first-name prefix ("jo" is a
 * tenth of the account), a rare surname and a full name.
 */
const SEARCHES: Record<string, (contacts: number) => ContactSearchQuery> = {
  email: (n) => ({ email: `Person${randomInt(n)}@Example.com` }),
  phone: (n) => ({ phone: formatPhone(2_000_000_000 + randomInt(n)) }),
  'name "jo"': () => ({ name: 'jo' }),
  'surname': (n) => ({ name: `surname${randomInt(Math.min(n, SURNAMES))}` }),
  'full name': (n) => fullName(randomInt(n)),
};

/** Person i's "first last", as synthetic-contacts.ts names them. */
function fullName(i: number): ContactSearchQuery {
  return { name: `${FIRST_NAMES[i % FIRST_NAMES.length]} surname${i % SURNAMES}` };
}

/** "(200) 000-0012": the national format, so the search has to normalise it to +12000000012. */
function formatPhone(digits: number): string {
  const text = String(digits);
  return `(${text.slice(0, 3)}) ${text.slice(3, 6)}-${text.slice(6)}`;
}

export async function searchLatencies(dataSource: DataSource, accountId: string, contacts: number, perKind: number): Promise<string[]> {
  const search = new ContactSearchService(dataSource, new AccountSettingsService());
  const lines: string[] = [];
  for (const [label, query] of Object.entries(SEARCHES)) {
    const latencies: number[] = [];
    for (let i = 0; i < perKind; i++) {
      const started = performance.now();
      await search.search(accountId, query(contacts));
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    const at = (p: number): string => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(2);
    lines.push(`${label} ${at(50)}/${at(99)}`);
  }
  return lines;
}
