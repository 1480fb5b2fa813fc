import { Outbox, UnitOfWork } from '@leadline/messaging';
import type { Actor } from '@leadline/platform';
import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { contactChanged } from '../contacts/contact-changes';
import { Contact } from '../contacts/contact.entity';
import { editableContact } from '../contacts/contacts.service';
import { checkAttributes } from './attribute-definitions';
import type { SetCompanyDto } from './custom-data.dto';
import { Company, type CompanyAttributes } from './custom-data.entities';

export function companyView(company: Company) {
  return {
    companyId: company.externalId, name: company.name, attributes: company.attributes,
    createdAt: company.createdAt.toISOString(), updatedAt: company.updatedAt.toISOString(),
  };
}

/** The company a contact belongs to, kept from the company data the business sends with it. */
@Injectable()
export class CompaniesService {
  constructor(private readonly dataSource: DataSource, private readonly unitOfWork: UnitOfWork, private readonly outbox: Outbox) {}

  /** Creates or updates the company (by the business's id) and makes the contact one of its people. */
  async setForContact(actor: Actor, contactId: string, body: SetCompanyDto) {
    return this.unitOfWork.run(async (tx) => {
      const contact = await editableContact(tx, actor.accountId, contactId);
      const company = await this.upsert(tx, actor.accountId, body);
      if (contact.companyId !== company.id) {
        await tx.update(Contact, { id: contact.id }, { companyId: company.id });
        contact.companyId = company.id;
        await contactChanged(tx, this.outbox, contact, ['company']);
      }
      return companyView(company);
    });
  }

  async removeFromContact(actor: Actor, contactId: string): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const contact = await editableContact(tx, actor.accountId, contactId);
      if (!contact.companyId) throw new NotFoundException(`contact ${contactId} belongs to no company`);
      await tx.update(Contact, { id: contact.id }, { companyId: null });
      contact.companyId = null;
      await contactChanged(tx, this.outbox, contact, ['company']);
    });
  }

  async get(accountId: string, externalId: string) {
    const company = await this.dataSource.manager.findOneBy(Company, { accountId, externalId });
    if (!company) throw new NotFoundException(`company ${externalId} not found in this account`);
    const [{ contacts }] = await this.dataSource.query(
      `SELECT count(*)::int AS contacts FROM contacts WHERE company_id = $1 AND merged_into_id IS NULL`, [company.id],
    ) as [{ contacts: number }];
    return { ...companyView(company), contacts };
  }

  /** One row per company id; concurrent first sightings meet on the UNIQUE (account_id, external_id). */
  private async upsert(tx: EntityManager, accountId: string, body: SetCompanyDto): Promise<Company> {
    const attributes = await checkAttributes(tx, accountId, body.attributes ?? [], 'company', 'attributes');
    await tx.query(
      `INSERT INTO companies (id, account_id, external_id, name) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id, external_id) DO NOTHING`, [uuidv7(), accountId, body.companyId, body.name ?? null],
    );
    const company = await tx.findOneOrFail(Company, { where: { accountId, externalId: body.companyId }, lock: { mode: 'pessimistic_write' } });
    const merged: CompanyAttributes = { ...company.attributes };
    for (const attribute of attributes) {
      if (attribute.value === null) delete merged[attribute.key];
      else merged[attribute.key] = { type: attribute.type, value: attribute.value };
    }
    company.attributes = merged;
    if (body.name !== undefined) company.name = body.name;
    company.updatedAt = new Date();
    await tx.update(Company, { id: company.id }, { name: company.name, attributes: company.attributes, updatedAt: company.updatedAt });
    return company;
  }
}
