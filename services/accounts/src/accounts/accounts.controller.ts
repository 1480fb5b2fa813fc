import { AdminOnly, CurrentActor, PublicEndpoint, type Actor } from '@leadline/platform';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, ValidateNested } from 'class-validator';
import { isAdmin, requireOwnAccount } from '../access/account-scope';
import { OperatorGuard } from '../access/operator.guard';
import { AccountSettingsDto, ChannelSettingDto, CreateAccountDto } from './account.dto';
import { AccountsService, withoutSecrets } from './accounts.service';

class ReplaceChannelsDto {
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ChannelSettingDto)
  channels!: ChannelSettingDto[];
}

@Controller('v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** The platform operator creates an account; the answer carries its first API key, shown this once. */
  @Post()
  @PublicEndpoint()
  @UseGuards(OperatorGuard)
  create(@Body() dto: CreateAccountDto) {
    return this.accounts.create(dto);
  }

  /** Members see their account; only admins see its secrets (identity secret, SMS auth tokens). */
  @Get(':accountId')
  async get(@CurrentActor() actor: Actor, @Param('accountId', ParseUUIDPipe) accountId: string) {
    requireOwnAccount(actor, accountId);
    const account = await this.accounts.get(accountId);
    return isAdmin(actor) ? account : withoutSecrets(account);
  }

  @Patch(':accountId')
  @AdminOnly()
  update(@CurrentActor() actor: Actor, @Param('accountId', ParseUUIDPipe) accountId: string, @Body() dto: AccountSettingsDto) {
    requireOwnAccount(actor, accountId);
    return this.accounts.update(accountId, dto);
  }

  /** A new identity secret (the old one was exposed): widget identity tokens and identify calls signed with it stop verifying. */
  @Post(':accountId/identity-secret')
  @AdminOnly()
  rotateIdentitySecret(@CurrentActor() actor: Actor, @Param('accountId', ParseUUIDPipe) accountId: string) {
    requireOwnAccount(actor, accountId);
    return this.accounts.rotateIdentitySecret(accountId);
  }

  @Put(':accountId/channels')
  @AdminOnly()
  replaceChannels(@CurrentActor() actor: Actor, @Param('accountId', ParseUUIDPipe) accountId: string, @Body() dto: ReplaceChannelsDto) {
    requireOwnAccount(actor, accountId);
    return this.accounts.update(accountId, {}, dto.channels);
  }
}
