import type { EntityManager } from 'typeorm';
import type { DuplicateCandidate } from '../duplicates/duplicate-candidate';

interface ContactRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  address: string | null;
  postal_code: string | null;
  emails: string[];
  phones: string[];
}

/**
 * Every live (not merged) contact of an account as the duplicate scorer sees it, read in one query with its
 * emails and phones aggregated, so a large account costs one sequential pass rather than a query per contact.
 */
export async function accountCandidates(tx: EntityManager, accountId: string): Promise<DuplicateCandidate[]> {
  const rows: ContactRow[] = await tx.query(
    `SELECT c.id, c.first_name, c.last_name, c.address, c.postal_code,
            COALESCE(array_agg(i.value) FILTER (WHERE i.kind = 'email'), '{}') AS emails,
            COALESCE(array_agg(i.value) FILTER (WHERE i.kind = 'phone'), '{}') AS phones
       FROM contacts c LEFT JOIN identifiers i ON i.contact_id = c.id
      WHERE c.account_id = $1 AND c.merged_into_id IS NULL
      GROUP BY c.id`,
    [accountId],
  );
  return rows.map(toCandidate);
}

function toCandidate(row: ContactRow): DuplicateCandidate {
  return {
    id: row.id,
    ...(row.first_name ? { firstName: row.first_name } : {}),
    ...(row.last_name ? { lastName: row.last_name } : {}),
    emails: row.emails,
    phones: row.phones,
    ...(row.postal_code ? { postalCode: row.postal_code } : {}),
    ...addressParts(row.address),
  };
}

/**
 * A contact's address is one free-text line ("12 Wallaby Place, Sydney"); the scorer compares street number,
 * street and locality separately, so the common "number street, locality" shape is split, anything else is the street.
 */
export function addressParts(address: string | null): Pick<DuplicateCandidate, 'street' | 'streetNumber' | 'locality'> {
  if (!address?.trim()) return {};
  const [line, ...rest] = address.split(',').map((part) => part.trim());
  const numbered = /^(\d+[a-z]?)\s+(.+)$/i.exec(line ?? '');
  const locality = rest.find((part) => part !== '' && !/^\d+$/.test(part));
  return {
    ...(numbered ? { streetNumber: numbered[1], street: numbered[2] } : line ? { street: line } : {}),
    ...(locality ? { locality } : {}),
  };
}
