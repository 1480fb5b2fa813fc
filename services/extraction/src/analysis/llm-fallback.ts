// What the service does when the LLM extractor falls back to the rules: a warning that says why,
// and a counter, so a model server that is down or too slow shows on a dashboard and not only
// as quietly plainer summaries.
import { Logger } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';

const logger = new Logger('LlmExtractor');
const fallbacks = metrics.getMeter('extraction').createCounter('leadline_extraction_llm_fallbacks_total', {
  description: 'Conversations the LLM extractor handed to the rules extractor (timeout, HTTP error, unusable answer)',
});

export function reportLlmFallback(reason: string): void {
  fallbacks.add(1);
  logger.warn(`LLM extractor fell back to the rules: ${reason}. Check LLM_BASE_URL / LLM_MODEL or raise LLM_TIMEOUT_MS.`);
}
