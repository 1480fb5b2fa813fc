import { AccountId, AdminOnly } from '@leadline/platform';
import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ListSuggestionsQuery } from './duplicate-suggestions.dto';
import { DuplicateSuggestionsService } from './duplicate-suggestions.service';

@Controller('v1/duplicate-suggestions')
export class DuplicateSuggestionsController {
  constructor(private readonly suggestions: DuplicateSuggestionsService) {}

  @Get()
  list(@AccountId() accountId: string, @Query() query: ListSuggestionsQuery) {
    return this.suggestions.list(accountId, query);
  }

  /** Runs the duplicate scorer over the whole account and records what it finds. */
  @Post('scan')
  @HttpCode(200)
  @AdminOnly()
  scan(@AccountId() accountId: string) {
    return this.suggestions.scan(accountId);
  }

  @Post(':suggestionId/dismiss')
  @HttpCode(200)
  dismiss(@AccountId() accountId: string, @Param('suggestionId', ParseUUIDPipe) suggestionId: string) {
    return this.suggestions.dismiss(accountId, suggestionId);
  }
}
