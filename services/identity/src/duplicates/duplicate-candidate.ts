/**
 * The contact as the duplicate scorer sees it. The identity service maps its contacts to this
 * shape and the Febrl loader maps evaluation rows to it, so both run the very same scorer.
 *
 * Values are expected already normalised where a canonical form exists (emails lower-cased,
 * phones in E.164, see `normalize.ts`); the comparators normalise again defensively, cheaply.
 */
export interface DuplicateCandidate {
  id: string;
  firstName?: string;
  lastName?: string;
  emails: string[];
  /** E.164, e.g. +61412345678. */
  phones: string[];
  /** Street name line, e.g. "wallaby place". */
  street?: string;
  streetNumber?: string;
  /** Suburb, town or city. */
  locality?: string;
  postalCode?: string;
  state?: string;
  /** YYYY-MM-DD or YYYYMMDD. */
  dateOfBirth?: string;
  /** A government or business identifier (social security number, tax id, ...). */
  nationalId?: string;
}
