import { Global, Module } from '@nestjs/common';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';
import { TeamDirectory } from './team-directory';

@Global()
@Module({ controllers: [MembersController], providers: [TeamDirectory, MembersService], exports: [TeamDirectory, MembersService] })
export class MembersModule {}
