import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Administration through the API (issue #14): policy settings as versioned data (`setting`), the admin audit trail
 * (`admin_audit_event`: the app role may only append to it and read it, as with the documents' trail), and a
 * token's end of overlap after a rotation (`api_token.expires_at`). A committed setting change notifies
 * `sdd_settings_changed`, so every API process reloads its settings (src/config/settings.ts).
 */
export class AdministrationData1796000500000 implements MigrationInterface {
  name = 'AdministrationData1796000500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "setting" ("key" text NOT NULL, "value" jsonb NOT NULL, "version" integer NOT NULL, "changed_by_id" uuid, "changed_by_name" text, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" text, CONSTRAINT "PK_1c4c95d773004250c157a744d6e" PRIMARY KEY ("key"))`);
    await queryRunner.query(`CREATE TABLE "admin_audit_event" ("id" BIGSERIAL NOT NULL, "seq" integer NOT NULL, "subject_type" text NOT NULL, "subject_id" text NOT NULL, "event" text NOT NULL, "actor_id" uuid NOT NULL, "actor_name" text NOT NULL, "actor_roles" text array NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" text, "changes" jsonb NOT NULL DEFAULT '{}', "request_id" text, "prev_hash" text, "hash" text NOT NULL, "hash_version" smallint NOT NULL, "digests" jsonb, "salts" jsonb, CONSTRAINT "uq_admin_audit_event_seq" UNIQUE ("seq"), CONSTRAINT "PK_34d249ec07cf9bf6f4dcd5b86a2" PRIMARY KEY ("id"))`);
    await queryRunner.query(`ALTER TABLE "api_token" ADD "expires_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "api_token" ADD "issued_by_id" uuid`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "admin_audit_event" FROM sdd_app`);
    await queryRunner.query(`REVOKE DELETE, TRUNCATE ON "setting" FROM sdd_app`);
    await queryRunner.query(`
      CREATE FUNCTION notify_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('sdd_settings_changed', NEW.key);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER setting_changed AFTER INSERT OR UPDATE ON "setting" FOR EACH ROW EXECUTE FUNCTION notify_settings_changed()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER setting_changed ON "setting"`);
    await queryRunner.query(`DROP FUNCTION notify_settings_changed()`);
    await queryRunner.query(`ALTER TABLE "api_token" DROP COLUMN "issued_by_id"`);
    await queryRunner.query(`ALTER TABLE "api_token" DROP COLUMN "expires_at"`);
    await queryRunner.query(`DROP TABLE "admin_audit_event"`);
    await queryRunner.query(`DROP TABLE "setting"`);
  }
}
