import { Module } from '@nestjs/common';
import { SignedChannel } from '../webhooks/signed-channel';
import { EmailController } from './email.controller';
import { EmailThreads } from './email-threads';

@Module({ controllers: [EmailController], providers: [SignedChannel, EmailThreads] })
export class EmailModule {}
