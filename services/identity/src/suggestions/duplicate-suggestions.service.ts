import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Contact } from '../contacts/contact.entity';
import { contactSnapshot } from '../contacts/contact-snapshot';
import { Identifier } from '../contacts/identifier.entity';
import { findDuplicatePairs } from '../duplicates/find-duplicate-pairs';
import { accountCandidates } from './account-candidates';
import { DuplicateSuggestion } from './duplicate-suggestion.entity';
import type { ListSuggestionsQuery } from './duplicate-suggestions.dto';
import { recordSuggestions } from './suggestion-store';

/** What a scan of an account found and how long it took. */
export interface ScanReport {
  contacts: number;
  candidatePairs: number;
  possiblePairs: number;
  suggested: number;
  recorded: number;
  modelSource: string;
  durationMs: number;
  /** Where the time went: reading the account, the scorer's own steps, writing the suggestions. */
  timingsMs: Record<string, number>;
}

@Injectable()
export class DuplicateSuggestionsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Suggestions for review, newest first, each with both contacts; pairs with a merged contact are left out. */
  async list(accountId: string, query: ListSuggestionsQuery) {
    const params: unknown[] = [accountId, query.status ?? 'open', query.limit ?? 50, query.offset ?? 0];
    const byContact = query.contactId ? `AND (s.contact_a_id = $5 OR s.contact_b_id = $5)` : '';
    if (query.contactId) params.push(query.contactId);
    const ids: { id: string }[] = await this.dataSource.query(
      `SELECT s.id FROM duplicate_suggestions s
         JOIN contacts a ON a.id = s.contact_a_id AND a.merged_into_id IS NULL
         JOIN contacts b ON b.id = s.contact_b_id AND b.merged_into_id IS NULL
        WHERE s.account_id = $1 AND s.status = $2 ${byContact}
        ORDER BY s.created_at DESC, s.id DESC LIMIT $3 OFFSET $4`,
      params,
    );
    const suggestions = await this.dataSource.manager.find(DuplicateSuggestion, {
      where: { id: In(ids.map((row) => row.id)) }, order: { createdAt: 'DESC', id: 'DESC' },
    });
    return this.withContacts(this.dataSource.manager, suggestions);
  }

  async dismiss(accountId: string, suggestionId: string) {
    return this.dataSource.transaction(async (tx) => {
      const suggestion = await tx.findOne(DuplicateSuggestion, { where: { id: suggestionId, accountId }, lock: { mode: 'pessimistic_write' } });
      if (!suggestion) throw new NotFoundException(`duplicate suggestion ${suggestionId} not found in this account`);
      if (suggestion.status === 'open') {
        suggestion.status = 'dismissed';
        suggestion.updatedAt = new Date();
        await tx.save(DuplicateSuggestion, suggestion);
      }
      return (await this.withContacts(tx, [suggestion]))[0];
    });
  }

  /**
   * Runs the probabilistic scorer over the whole account. Blocking compares only contacts sharing a key (email
   * mailbox, phone tail, name sound + postal code, ...), so the work grows with the account, not its square.
   */
  async scan(accountId: string): Promise<ScanReport> {
    const started = performance.now();
    const candidates = await accountCandidates(this.dataSource.manager, accountId);
    const loaded = performance.now();
    const result = findDuplicatePairs(candidates, undefined);
    const scored = performance.now();
    const recorded = await this.dataSource.transaction((tx) => recordSuggestions(tx, accountId, result.suggestions.map((s) => ({
      contactId: s.a, otherContactId: s.b, source: 'scorer', probability: s.probability,
      reasons: s.reasons.map(({ field, text, weight }) => ({ field, text, weight })),
    }))));
    return {
      contacts: result.stats.contacts, candidatePairs: result.stats.candidatePairs, possiblePairs: result.stats.possiblePairs,
      suggested: result.suggestions.length, recorded, modelSource: result.modelSource,
      durationMs: Math.round(performance.now() - started),
      timingsMs: {
        load: Math.round(loaded - started), ...roundAll(result.stats.timingsMs), record: Math.round(performance.now() - scored),
      },
    };
  }

  private async withContacts(manager: EntityManager, suggestions: DuplicateSuggestion[]) {
    const contactIds = [...new Set(suggestions.flatMap((s) => [s.contactAId, s.contactBId]))];
    const contacts = await manager.findBy(Contact, { id: In(contactIds) });
    const identifiers = await manager.findBy(Identifier, { contactId: In(contactIds) });
    const snapshot = (id: string) => {
      const contact = contacts.find((c) => c.id === id);
      return contact ? contactSnapshot(contact, identifiers.filter((i) => i.contactId === id)) : null;
    };
    return suggestions.map((s) => ({
      id: s.id, status: s.status, source: s.source, probability: s.probability, reasons: s.reasons,
      contactA: snapshot(s.contactAId), contactB: snapshot(s.contactBId), createdAt: s.createdAt, updatedAt: s.updatedAt,
    }));
  }
}

function roundAll(timings: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(timings).map(([step, ms]) => [step, Math.round(ms)]));
}
