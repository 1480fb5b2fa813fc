import { MemberRemovedEvent, MemberUpsertedEvent, type MemberUpserted } from '@leadline/contracts';
import { Outbox, UnitOfWork } from '@leadline/messaging';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { CreateMemberDto, UpdateMemberDto } from './member.dto';
import { Member } from './member.entity';

function memberPayload(member: Member): MemberUpserted {
  return {
    accountId: member.accountId, memberId: member.id, email: member.email, name: member.name, role: member.role,
    active: member.active, salesperson: member.salesperson, notificationPreference: member.notificationPreference,
    version: member.version,
  };
}

@Injectable()
export class MembersService {
  constructor(private readonly dataSource: DataSource, private readonly unitOfWork: UnitOfWork, private readonly outbox: Outbox) {}

  add(accountId: string, dto: CreateMemberDto): Promise<Member> {
    return this.unitOfWork.run(async (tx) => {
      await this.requireAccount(tx, accountId);
      return this.addIn(tx, accountId, dto);
    });
  }

  /** Adds a member inside a transaction the caller owns (account creation with its team). */
  async addIn(tx: EntityManager, accountId: string, dto: CreateMemberDto): Promise<Member> {
    const member = tx.create(Member, {
      id: uuidv7(), accountId, email: dto.email.toLowerCase(), name: dto.name, role: dto.role, active: true,
      salesperson: dto.salesperson, notificationPreference: dto.notificationPreference, version: 1,
    });
    try {
      await tx.save(member);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new ConflictException(`a member with email ${dto.email} already exists`);
      throw error;
    }
    await this.outbox.add(tx, MemberUpsertedEvent, memberPayload(member), member.id);
    return member;
  }

  list(accountId: string): Promise<Member[]> {
    return this.dataSource.manager.find(Member, { where: { accountId }, order: { email: 'ASC' } });
  }

  update(accountId: string, memberId: string, dto: UpdateMemberDto): Promise<Member> {
    return this.unitOfWork.run(async (tx) => {
      const member = await this.find(tx, accountId, memberId);
      Object.assign(member, Object.fromEntries(Object.entries(dto).filter(([, value]) => value !== undefined)));
      member.version += 1;
      await tx.save(member);
      await this.outbox.add(tx, MemberUpsertedEvent, memberPayload(member), member.id);
      return member;
    });
  }

  remove(accountId: string, memberId: string): Promise<void> {
    return this.unitOfWork.run(async (tx) => {
      const member = await this.find(tx, accountId, memberId);
      await tx.delete(Member, { id: member.id });
      await this.outbox.add(tx, MemberRemovedEvent, { accountId, memberId }, memberId);
    });
  }

  private async find(tx: EntityManager, accountId: string, memberId: string): Promise<Member> {
    const member = await tx.findOne(Member, { where: { id: memberId, accountId }, lock: { mode: 'pessimistic_write' } });
    if (!member) throw new NotFoundException('member not found');
    return member;
  }

  private async requireAccount(tx: EntityManager, accountId: string): Promise<void> {
    const [row] = await tx.query('SELECT 1 FROM accounts WHERE id = $1', [accountId]);
    if (!row) throw new NotFoundException('account not found');
  }
}
