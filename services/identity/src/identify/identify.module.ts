import { Module } from '@nestjs/common';
import { ResolutionModule } from '../resolution/resolution.module';
import { IdentifyController } from './identify.controller';
import { IdentifyService } from './identify.service';

@Module({ imports: [ResolutionModule], controllers: [IdentifyController], providers: [IdentifyService] })
export class IdentifyModule {}
