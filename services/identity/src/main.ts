import './instrument';
import 'reflect-metadata';
import { runService } from '@leadline/platform';
import { identityService } from './identity.service-definition';

void runService(identityService);
