import './instrument';
import 'reflect-metadata';
import { runService } from '@leadline/platform';
import { notificationsService } from './notifications.service-definition';

void runService(notificationsService);
