import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { documentModules } from '../documents';
import { ApprovalSignature } from '../approval/approval.entity';
import { ApiToken, Customer, Department, User } from '../organisation/organisation.entities';
import { Qualification, Region, ServiceTypeQualification, TechnicianCertificate } from '../organisation/field-service.entities';
import { AuditEvent, DocumentCounter } from '../workflow/workflow.entities';
import { CommunicationLogEntry } from '../communications/communication.entity';
import { SnakeNamingStrategy } from './naming';
import { IdempotencyRecord } from '../graphql/idempotency.entity';
import { ExportLogEntry } from '../export/export-log.entity';
import { AdminAuditEvent, Setting } from '../admin/admin.entities';

/** the engine's and organisation's tables, then each document type's (its module lists them) */
export const entities = [Department, Customer, User, ApiToken, Region, Qualification, ServiceTypeQualification, TechnicianCertificate, AuditEvent, DocumentCounter, IdempotencyRecord, ApprovalSignature, ExportLogEntry, CommunicationLogEntry, Setting, AdminAuditEvent, ...documentModules.flatMap((m) => m.entities)];

/** The one DataSource shape, for the app, the tests and the TypeORM CLI. The schema changes only through migrations. */
export interface DataSourceOptions {
  poolSize?: number;
  applicationName?: string;
  /**
   * The role every connection runs as. The app uses APP_ROLE (append-only on
   * audit_event); migrations and administration pass null to act as the owner.
   */
  role?: string | null;
  /** PostgreSQL cancels any statement running longer (the app's connections; 0 or absent: no limit) */
  statementTimeoutMs?: number;
}

/** the role created by the AuditAppendOnly migration */
export const APP_ROLE = 'sdd_app';

export function createDataSource(url: string, options: DataSourceOptions = {}): DataSource {
  const role = options.role === undefined ? APP_ROLE : options.role;
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install at connect
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    logging: false,
    poolSize: options.poolSize ?? 10,
    applicationName: options.applicationName ?? 'service-document-desk',
    extra: { connectionTimeoutMillis: 5_000, ...(role ? { options: `-c role=${role}` } : {}), ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}) },
  });
}
