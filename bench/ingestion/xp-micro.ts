// TEMPORARY: micro costs.
import 'reflect-metadata';
import { MessageReceivedEvent, validateEvent } from '@leadline/contracts';
import { currentTraceHeaders } from '@leadline/messaging';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { WebchatMessageDto } from '../../services/ingestion/src/webchat/webchat-message.dto';

async function main(): Promise<void> {
  const time = async (name: string, n: number, f: () => unknown) => {
    for (let i = 0; i < 2000; i += 1) await f();
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i += 1) await f();
    const c = process.cpuUsage(c0);
    console.log(`${name}: ${((c.user + c.system) / n).toFixed(1)} µs`);
  };
  const accountId = randomUUID();
  await time('validateEvent(MessageReceived)', 20000, () => validateEvent(MessageReceivedEvent, {
    accountId, conversationId: uuidv7(), messageId: uuidv7(), channel: 'webchat', author: 'visitor', text: 'Hello, this is message 1, my email is visitor1@example.com', sentAt: new Date().toISOString() }));
  await time('uuidv7', 100000, () => uuidv7());
  await time('currentTraceHeaders', 100000, () => currentTraceHeaders());
  await time('DTO plainToInstance+validate', 20000, async () => {
    const dto = plainToInstance(WebchatMessageDto, { widgetKey: 'bench-x', deviceId: randomUUID(), clientMessageId: 'm1', text: 'Hello, this is message 1, my email is visitor1@example.com' });
    await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  });
}
void main();
