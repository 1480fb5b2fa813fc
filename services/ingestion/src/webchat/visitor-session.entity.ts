import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A web chat widget's session: it reads only its device's current conversation, until shutdown or expiry. */
@Entity('visitor_sessions')
export class VisitorSession {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'account_id' }) accountId!: string;
  @Column('text', { name: 'widget_key' }) widgetKey!: string;
  @Column('uuid', { name: 'device_id' }) deviceId!: string;
  /** SHA-256 of the token: the token itself is given to the widget once and never stored. */
  @Column('text', { name: 'token_hash' }) tokenHash!: string;
  @Column('text', { name: 'external_user_id', nullable: true }) externalUserId!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
  @Column('timestamptz', { name: 'ended_at', nullable: true }) endedAt!: Date | null;
}
