import { Module } from '@nestjs/common';
import { DuplicateSuggestionsController } from './duplicate-suggestions.controller';
import { DuplicateSuggestionsService } from './duplicate-suggestions.service';

@Module({ controllers: [DuplicateSuggestionsController], providers: [DuplicateSuggestionsService] })
export class SuggestionsModule {}
