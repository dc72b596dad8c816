import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The application runs as the role sdd_app (see createDataSource), which may
 * read and write documents but only append to the audit trail: PostgreSQL
 * itself refuses its UPDATE, DELETE and TRUNCATE on audit_event (SPEC §6).
 * Migrations run as the owner; tables they create later are granted by the
 * default privileges below.
 */
export class AuditAppendOnly1795468000000 implements MigrationInterface {
  name = 'AuditAppendOnly1795468000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sdd_app') THEN CREATE ROLE sdd_app NOLOGIN; END IF;
    END $$`);
    // the migrating user must be able to SET ROLE sdd_app (a superuser always can)
    await queryRunner.query(`DO $$ BEGIN
      EXECUTE format('GRANT sdd_app TO %I', current_user);
    EXCEPTION WHEN OTHERS THEN NULL;
    END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO sdd_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO sdd_app`);
    await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO sdd_app`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO sdd_app`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO sdd_app`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM sdd_app`);
    await queryRunner.query(`REVOKE ALL ON migrations FROM sdd_app`);
    await queryRunner.query(`GRANT SELECT ON migrations TO sdd_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM sdd_app`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM sdd_app`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM sdd_app`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM sdd_app`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM sdd_app`);
  }
}
