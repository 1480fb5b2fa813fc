// Imported first by main.ts: telemetry must patch http and pg before they load.
import { startTelemetry } from '@leadline/observability';

startTelemetry({ serviceName: 'leads' });
