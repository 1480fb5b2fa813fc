import { Module } from '@nestjs/common';
import { ConversationMessages } from './conversation-messages';
import { FollowersController } from './followers.controller';
import { FollowersService } from './followers.service';

@Module({ controllers: [FollowersController], providers: [FollowersService, ConversationMessages] })
export class FollowersModule {}
