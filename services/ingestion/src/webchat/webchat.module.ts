import { Module } from '@nestjs/common';
import { VisitorSessions } from './visitor-sessions';
import { WebchatController } from './webchat.controller';

@Module({ controllers: [WebchatController], providers: [VisitorSessions] })
export class WebchatModule {}
