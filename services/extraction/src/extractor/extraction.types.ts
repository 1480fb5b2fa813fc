// The extraction engine's public contract: the extraction service imports exactly these names.
export type MessageAuthor = 'visitor' | 'ai' | 'agent';
export interface TranscriptMessage { id: string; author: MessageAuthor; text: string; sentAt?: string }
export type ContactField = 'firstName' | 'lastName' | 'email' | 'phone' | 'address' | 'postalCode';
export const CONTACT_FIELDS: readonly ContactField[] = ['firstName', 'lastName', 'email', 'phone', 'address', 'postalCode'];
export interface FieldEvidence { messageId: string; start: number; end: number } // char span in that message's text
export interface ExtractedValue { value: string; confidence: number; evidence: FieldEvidence } // confidence 0..1
export type ExtractedFields = Partial<Record<ContactField, ExtractedValue>>;
export type IntentLevel = 'none' | 'low' | 'medium' | 'high';
export interface QualificationSignals {
  intent: IntentLevel;            // how clearly the visitor wants to buy/book/get a quote
  urgency: 'none' | 'low' | 'high';
  budgetMentioned: boolean;
  sizeMentioned: boolean;         // a size/quantity of the job (500 sq ft, 3 rooms...)
  preferredContact: 'phone' | 'email' | 'sms' | null;
  contactCompleteness: number;    // 0..1, share of the 6 fields captured
}
export interface ExtractionInput { messages: TranscriptMessage[]; defaultRegion?: string /* ISO 3166 alpha-2, default 'US' */; captureFields?: readonly ContactField[] /* default all */ }
export interface ExtractionResult { fields: ExtractedFields; summary: string; signals: QualificationSignals; extractor: 'rules' | 'llm' }
export interface ConversationExtractor { extract(input: ExtractionInput): Promise<ExtractionResult> }
