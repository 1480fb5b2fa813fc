import { ApiKeyIssuedEvent, ApiKeyRevokedEvent } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import { generateApiKey, hashApiKey } from '@leadline/platform';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { ApiKey } from './api-key.entity';

export interface ApiKeyView {
  id: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
}

function view(key: ApiKey): ApiKeyView {
  return { id: key.id, name: key.name, createdAt: key.createdAt, revokedAt: key.revokedAt };
}

@Injectable()
export class ApiKeysService {
  constructor(private readonly dataSource: DataSource, private readonly unitOfWork: UnitOfWork, private readonly outbox: Outbox) {}

  /** Creates a key; the answer is the only time the key itself is seen. */
  create(accountId: string, name: string): Promise<ApiKeyView & { key: string }> {
    return this.unitOfWork.run((tx) => this.createIn(tx, accountId, name));
  }

  async createIn(tx: EntityManager, accountId: string, name: string): Promise<ApiKeyView & { key: string }> {
    const key = generateApiKey();
    const row = tx.create(ApiKey, { id: uuidv7(), accountId, name, keyHash: hashApiKey(key), revokedAt: null });
    await tx.save(row);
    await this.outbox.add(tx, ApiKeyIssuedEvent, { accountId, apiKeyId: row.id, keyHash: row.keyHash, name }, row.id);
    return { ...view(row), key };
  }

  async list(accountId: string): Promise<ApiKeyView[]> {
    const rows = await this.dataSource.manager.find(ApiKey, { where: { accountId }, order: { createdAt: 'ASC' } });
    return rows.map(view);
  }

  /** Revokes a key; every service stops accepting it once the event reaches it. Revoking twice is a no-op. */
  revoke(accountId: string, apiKeyId: string): Promise<void> {
    return this.unitOfWork.run(async (tx) => {
      const row = await tx.findOne(ApiKey, { where: { id: apiKeyId, accountId }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new NotFoundException('API key not found');
      if (row.revokedAt) return;
      row.revokedAt = new Date();
      await tx.save(row);
      await this.outbox.add(tx, ApiKeyRevokedEvent, { accountId, apiKeyId: row.id, keyHash: row.keyHash }, row.id);
    });
  }
}
