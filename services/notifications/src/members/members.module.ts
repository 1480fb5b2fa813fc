import { Global, Module } from '@nestjs/common';
import { TeamDirectory } from './team-directory';

@Global()
@Module({ providers: [TeamDirectory], exports: [TeamDirectory] })
export class MembersModule {}
