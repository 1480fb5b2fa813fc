import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { LeadListQueryDto } from '../listing/lead-filter.dto';

export class ExportQueryDto extends LeadListQueryDto {
  @ApiPropertyOptional({ enum: ['page', 'all'], default: 'all', description: 'page: the page that cursor and limit name; all: every lead the filters match' })
  @IsOptional() @IsIn(['page', 'all'])
  scope?: 'page' | 'all';
}
