import './instrument';
import 'reflect-metadata';
import { runService } from '@leadline/platform';
import { ingestionService } from './ingestion.service-definition';

void runService(ingestionService);
