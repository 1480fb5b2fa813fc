import { CurrentActor, type Actor } from '@leadline/platform';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswers } from '../openapi/api-responses';
import { BulkActionDto, BulkResultView } from './bulk.dto';
import { BulkService } from './bulk.service';

@ApiTags('bulk')
@Controller('v1/leads/bulk')
export class BulkController {
  constructor(private readonly bulk: BulkService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change status, assign or archive the selected leads or all that match the filters; inactive leads are skipped with the reason',
  })
  @ApiAnswers(200, BulkResultView, 'One result per lead', { notFound: 'The member to assign is not a member of the account' })
  run(@CurrentActor() actor: Actor, @Body() dto: BulkActionDto): Promise<BulkResultView> {
    return this.bulk.run(actor, dto);
  }
}
