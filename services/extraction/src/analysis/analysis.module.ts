import { Module, type DynamicModule } from '@nestjs/common';
import { ExtractionConfig } from '../extraction.config';
import { LlmExtractor } from '../extractor/llm-extractor';
import { RulesExtractor } from '../extractor/rules-extractor';
import { CONVERSATION_EXTRACTOR, ConversationAnalyzer } from './conversation-analyzer';
import { reportLlmFallback } from './llm-fallback';

@Module({})
export class AnalysisModule {
  static forRoot(config: ExtractionConfig): DynamicModule {
    const rules = new RulesExtractor();
    const extractor = config.EXTRACTOR === 'llm'
      ? new LlmExtractor({
        baseUrl: config.LLM_BASE_URL!, model: config.LLM_MODEL!, timeoutMs: config.LLM_TIMEOUT_MS, fallback: rules, onFallback: reportLlmFallback,
        ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}),
      })
      : rules;
    return {
      module: AnalysisModule,
      providers: [{ provide: CONVERSATION_EXTRACTOR, useValue: extractor }, ConversationAnalyzer],
    };
  }
}
