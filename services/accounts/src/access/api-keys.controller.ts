import { AdminOnly, CurrentActor, type Actor } from '@leadline/platform';
import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { requireOwnAccount } from './account-scope';
import { CreateApiKeyDto } from './access.dto';
import { ApiKeysService } from './api-keys.service';

/** API keys of an account: admins create (the key is shown once), list and revoke them. */
@Controller('v1/accounts/:accountId/api-keys')
@AdminOnly()
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService, private readonly accounts: AccountsService) {}

  @Post()
  async create(@CurrentActor() actor: Actor, @Param('accountId', ParseUUIDPipe) accountId: string, @Body() dto: CreateApiKeyDto) {
    requireOwnAccount(actor, accountId);
    await this.accounts.get(accountId);
    return this.apiKeys.create(accountId, dto.name);
  }

  @Get()
  list(@CurrentActor() actor: Actor, @Param('accountId', ParseUUIDPipe) accountId: string) {
    requireOwnAccount(actor, accountId);
    return this.apiKeys.list(accountId);
  }

  @Delete(':apiKeyId')
  @HttpCode(204)
  revoke(
    @CurrentActor() actor: Actor,
    @Param('accountId', ParseUUIDPipe) accountId: string,
    @Param('apiKeyId', ParseUUIDPipe) apiKeyId: string,
  ) {
    requireOwnAccount(actor, accountId);
    return this.apiKeys.revoke(accountId, apiKeyId);
  }
}
