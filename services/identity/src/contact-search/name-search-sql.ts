/**
 * A name search, ordered by the name that matched (then id), so every page is one short range scan per name
 * index (account_id, lower(name) text_pattern_ops, id) however many contacts share the prefix: ordering a
 * million-contact account's matches newest first would mean fetching all of them to sort them.
 *
 * Branches: the first name, the last name and, when the prefix has a space, "first last". A contact is found
 * by the first branch it matches only (the later ones exclude what earlier ones match), so it is listed once.
 * Each branch takes at most `limit` rows past the cursor in index order; the union is sorted and cut again.
 */
export interface NameSearchSql {
  sql: string;
  params: unknown[];
}

const BRANCHES = [
  { key: 'lower(c.first_name)', before: [] as string[] },
  { key: 'lower(c.last_name)', before: ['lower(c.first_name)'] },
  { key: `lower(c.first_name || ' ' || c.last_name)`, before: ['lower(c.first_name)', 'lower(c.last_name)'] },
];

/**
 * `where`/`params`: the other filters (account first, as $1). `pattern`: the LIKE prefix pattern.
 * `after`: the cursor, the [name, id] of the last contact of the previous page.
 */
export function nameSearchSql(where: string[], params: unknown[], pattern: string, hasSpace: boolean,
  after: [string, string] | undefined, limit: number): NameSearchSql {
  const all = [...params, pattern];
  const p = `$${all.length}`;
  let cursor = '';
  if (after) {
    all.push(after[0], after[1]);
    cursor = `AND KEY ~>=~ $${all.length - 1} AND (KEY ~>~ $${all.length - 1} OR c.id > $${all.length})`;
  }
  all.push(limit);
  const n = `$${all.length}`;
  const branches = (hasSpace ? BRANCHES : BRANCHES.slice(0, 2)).map(({ key, before }) => `(
    SELECT c.id, ${key} AS name FROM contacts c
     WHERE ${where.join(' AND ')} AND ${key} LIKE ${p} ${before.map((b) => `AND (${b} LIKE ${p}) IS NOT TRUE`).join(' ')}
       ${cursor.replace(/KEY/g, key)}
     ORDER BY ${key} USING ~<~, c.id LIMIT ${n})`);
  return { sql: `SELECT id, name FROM (${branches.join(' UNION ALL ')}) m ORDER BY name USING ~<~, id LIMIT ${n}`, params: all };
}
