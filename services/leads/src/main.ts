import './instrument';
import 'reflect-metadata';
import { runService } from '@leadline/platform';
import { leadsService } from './leads.service-definition';

void runService(leadsService);
