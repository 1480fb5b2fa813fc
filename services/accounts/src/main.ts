import './instrument';
import 'reflect-metadata';
import { runService } from '@leadline/platform';
import { accountsService } from './accounts.service-definition';

void runService(accountsService);
