import type { QualificationSignalsDto } from '@leadline/contracts';

/**
 * The AI's qualification score, 0 to 100, from extraction's signals:
 *   intent      none 0 · low 15 · medium 30 · high 40
 *   urgency     none 0 · low 5 · high 15
 *   budget mentioned 15, size of the job mentioned 10
 *   contact completeness (share of name, email, phone, address, postal code captured) × 20
 * Intent weighs most: a visitor who asks for a quote and leaves a way to reach them is worth a call.
 */
export function qualificationScore(signals: QualificationSignalsDto): number {
  const intent = { none: 0, low: 15, medium: 30, high: 40 }[signals.intent];
  const urgency = { none: 0, low: 5, high: 15 }[signals.urgency];
  const total = intent + urgency + (signals.budgetMentioned ? 15 : 0) + (signals.sizeMentioned ? 10 : 0)
    + Math.round(signals.contactCompleteness * 20);
  return Math.max(0, Math.min(100, total));
}
