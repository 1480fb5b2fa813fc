import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Put } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsArray, ValidateNested } from 'class-validator';
import { AccountSettingsDto, ChannelSettingDto, CreateAccountDto } from './account.dto';
import { AccountsService } from './accounts.service';

class ReplaceChannelsDto {
  @IsArray() @ValidateNested({ each: true }) @Type(() => ChannelSettingDto)
  channels!: ChannelSettingDto[];
}

@Controller('v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  create(@Body() dto: CreateAccountDto) {
    return this.accounts.create(dto);
  }

  @Get(':accountId')
  get(@Param('accountId', ParseUUIDPipe) accountId: string) {
    return this.accounts.get(accountId);
  }

  @Patch(':accountId')
  update(@Param('accountId', ParseUUIDPipe) accountId: string, @Body() dto: AccountSettingsDto) {
    return this.accounts.update(accountId, dto);
  }

  @Put(':accountId/channels')
  replaceChannels(@Param('accountId', ParseUUIDPipe) accountId: string, @Body() dto: ReplaceChannelsDto) {
    return this.accounts.update(accountId, {}, dto.channels);
  }
}
