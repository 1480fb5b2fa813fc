import type { LeadStatus } from '@leadline/contracts';

/** Converted, Lost and Archived end a lead: it becomes inactive and nothing about it changes any more. */
export const FINAL_STATUSES: readonly LeadStatus[] = ['converted', 'lost', 'archived'];

export function isFinal(status: LeadStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** What a rule needs to know about a lead. */
export interface LeadState {
  id: string;
  status: LeadStatus;
  active: boolean;
  agentId: string | null;
}

/** The product's words for each status, used in messages people read. */
export const STATUS_LABELS: Record<LeadStatus, string> = {
  new: 'New', contacted: 'Contacted', qualifying: 'Qualifying', qualified: 'Qualified', follow_up: 'Follow-up',
  converted: 'Converted', lost: 'Lost', archived: 'Archived',
};

export type Decision<T> =
  | { kind: 'apply'; change: T }
  | { kind: 'unchanged'; reason: string }
  | { kind: 'refused'; reason: string };

/** Why an inactive lead takes no further action; the same sentence is used by the API (409) and by bulk results. */
export function inactiveReason(lead: LeadState, action: string): string {
  return `lead ${lead.id} is ${STATUS_LABELS[lead.status]}, a final status: it is inactive, so ${action} is not allowed`;
}

export interface StatusChange { from: LeadStatus; to: LeadStatus; active: boolean }

/** Any status can follow any other while the lead is active; a final status makes it inactive for good. */
export function decideStatusChange(lead: LeadState, to: LeadStatus): Decision<StatusChange> {
  if (!lead.active) return { kind: 'refused', reason: inactiveReason(lead, 'changing its status') };
  if (lead.status === to) return { kind: 'unchanged', reason: `lead ${lead.id} is already ${STATUS_LABELS[to]}` };
  return { kind: 'apply', change: { from: lead.status, to, active: !isFinal(to) } };
}

export interface Assignment { from: string | null; to: string | null }

/** Assign, reassign (any number of times) or unassign (`to` null); only while the lead is active. */
export function decideAssignment(lead: LeadState, to: string | null): Decision<Assignment> {
  if (!lead.active) return { kind: 'refused', reason: inactiveReason(lead, to ? 'assigning it' : 'unassigning it') };
  if (lead.agentId === to) {
    return { kind: 'unchanged', reason: to ? `lead ${lead.id} is already assigned to member ${to}` : `lead ${lead.id} is not assigned` };
  }
  return { kind: 'apply', change: { from: lead.agentId, to } };
}

/** A follow-up belongs to an active lead: there is nothing to follow up on a closed one. */
export function decideFollowUp(lead: LeadState): Decision<true> {
  if (!lead.active) return { kind: 'refused', reason: inactiveReason(lead, 'scheduling a follow-up') };
  return { kind: 'apply', change: true };
}

export interface ScoreState { score: number | null; scoreSource: 'ai' | 'manual' | null; active: boolean }
export interface ScoreChange { from: number | null; to: number; source: 'ai' | 'manual' }

/** A member may set the score of an active lead by hand; from then on it is `manual`. */
export function decideManualScore(lead: LeadState & ScoreState, score: number): Decision<ScoreChange> {
  if (!lead.active) return { kind: 'refused', reason: inactiveReason(lead, 'changing its score') };
  if (lead.score === score && lead.scoreSource === 'manual') return { kind: 'unchanged', reason: `lead ${lead.id} already scores ${score}` };
  return { kind: 'apply', change: { from: lead.score, to: score, source: 'manual' } };
}

/** The AI rescoring from new signals: never over a hand-set score, never on a closed lead. */
export function decideAiScore(lead: LeadState & ScoreState, score: number): Decision<ScoreChange> {
  if (!lead.active) return { kind: 'unchanged', reason: 'lead is inactive' };
  if (lead.scoreSource === 'manual') return { kind: 'unchanged', reason: 'the score was set by hand and the AI never overwrites it' };
  if (lead.score === score) return { kind: 'unchanged', reason: 'same score' };
  return { kind: 'apply', change: { from: lead.score, to: score, source: 'ai' } };
}
