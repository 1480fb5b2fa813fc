import { AccountId } from '@leadline/platform';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiAnswers } from '../openapi/api-responses';
import { ExportQueryDto } from './export.dto';
import { ExportService } from './export.service';

@ApiTags('export')
@Controller('v1/leads/export.csv')
export class ExportController {
  constructor(private readonly exporter: ExportService) {}

  @Get()
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'Leads as CSV, streamed: the current page or all that match the filters (columns in the README)' })
  @ApiAnswers(200, undefined, 'CSV with a header row; columns: lead_id, status, active, reason, score, score_source, agent_id, agent_name, contact_id, name, first_name, last_name, email, phone, other_emails, other_phones, address, postal_code, channel, conversation_url, summary, created_at, updated_at')
  async export(@AccountId() accountId: string, @Query() query: ExportQueryDto): Promise<StreamableFile> {
    const stream = await this.exporter.csv(accountId, query);
    return new StreamableFile(stream, { type: 'text/csv; charset=utf-8', disposition: 'attachment; filename="leads.csv"' });
  }
}
