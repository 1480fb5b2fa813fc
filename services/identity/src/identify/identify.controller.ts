import { PublicEndpoint } from '@leadline/platform';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { IdentifyDto } from './identify.dto';
import { IdentifyService } from './identify.service';

/**
 * Public: the call is authenticated by its HMAC signature with the account's identity secret (as the widget's
 * identity token is), so a business can make it from its own server or pass a server-made signature to its web
 * page; no Leadline credential is needed, and none would prove the user id anyway.
 */
@Controller('v1/identify')
export class IdentifyController {
  constructor(private readonly identify: IdentifyService) {}

  @Post()
  @HttpCode(200)
  @PublicEndpoint()
  run(@Body() body: IdentifyDto) {
    return this.identify.identify(body);
  }
}
