import './instrument';
import 'reflect-metadata';
import { runService } from '@leadline/platform';
import { extractionService } from './extraction.service-definition';

void runService(extractionService);
