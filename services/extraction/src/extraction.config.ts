import { BaseServiceConfig } from '@leadline/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';

export class ExtractionConfig extends BaseServiceConfig {
  /** `rules` needs no network; `llm` asks an OpenAI-compatible server and falls back to the rules. */
  @IsOptional() @IsIn(['rules', 'llm'])
  EXTRACTOR: 'rules' | 'llm' = 'rules';

  @ValidateIf((config: ExtractionConfig) => config.EXTRACTOR === 'llm')
  @Matches(/^https?:\/\/\S+$/, { message: 'must be the http(s) base URL of an OpenAI-compatible API, e.g. http://127.0.0.1:11434/v1' })
  LLM_BASE_URL?: string;

  @ValidateIf((config: ExtractionConfig) => config.EXTRACTOR === 'llm')
  @IsString()
  LLM_MODEL?: string;

  @IsOptional() @IsString()
  LLM_API_KEY?: string;

  @IsOptional() @Type(() => Number) @IsInt() @Min(100) @Max(120_000)
  LLM_TIMEOUT_MS: number = 10_000;
}
