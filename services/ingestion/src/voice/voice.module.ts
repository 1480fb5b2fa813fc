import { Module } from '@nestjs/common';
import { SignedChannel } from '../webhooks/signed-channel';
import { VoiceController } from './voice.controller';

@Module({ controllers: [VoiceController], providers: [SignedChannel] })
export class VoiceModule {}
