import { Module } from '@nestjs/common';
import { IdentityResolver } from './identity-resolver';
import { UserConversion } from './user-conversion';

@Module({ providers: [IdentityResolver, UserConversion], exports: [UserConversion] })
export class ResolutionModule {}
