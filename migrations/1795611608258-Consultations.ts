import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consultations (SPEC §3.8), and the link a converted one has with its service request (both ways).
 * The request a conversion opens is created by the system (src/auth/roles.ts SYSTEM_CALLER), and a
 * request's creator must be a user: the system becomes one, inactive and without roles or tokens, so
 * nobody can ever sign in as it. Table privileges for sdd_app come from the default privileges set in
 * AuditAppendOnly.
 */
export class Consultations1795611608258 implements MigrationInterface {
  name = 'Consultations1795611608258';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "consultation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" text NOT NULL, "state" text NOT NULL, "version" integer NOT NULL, "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "customer_id" uuid NOT NULL, "channel" text NOT NULL, "topic" text, "question" text NOT NULL, "contact_name" text, "contact_phone" text, "answer" text, "answered_at" TIMESTAMP WITH TIME ZONE, "first_replied_at" TIMESTAMP WITH TIME ZONE, "promised_reply_at" TIMESTAMP WITH TIME ZONE, "deferral_note" text, "dissatisfaction_reason" text, "internal_note" text, "closed_at" TIMESTAMP WITH TIME ZONE, "converted_request_id" uuid, "conversion_details" jsonb, "converted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_7fa85d071de4c21186907bb6f49" UNIQUE ("number"), CONSTRAINT "PK_5203569fac28a4a626c42abe70b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_consultation_state_created" ON "consultation"  ("state", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_consultation_customer_created" ON "consultation"  ("customer_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "service_request" ADD "consultation_id" uuid`);
    await queryRunner.query(`ALTER TABLE "consultation" ADD CONSTRAINT "FK_34316ff8ff65ec4eedaeccb7618" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "consultation" ADD CONSTRAINT "FK_5a06215eaafa61ad10b86ec0073" FOREIGN KEY ("converted_request_id") REFERENCES "service_request"("id") ON DELETE NO ACTION ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED`);
    await queryRunner.query(`ALTER TABLE "consultation" ADD CONSTRAINT "FK_e2f20003469fe579ecfc61142d2" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD CONSTRAINT "FK_2d94ce96d037872e21df6307206" FOREIGN KEY ("consultation_id") REFERENCES "consultation"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(
      `INSERT INTO "app_user" ("id", "name", "login", "kind", "roles", "active") VALUES ('00000000-0000-0000-0000-000000000000', 'system', 'system', 'AUTOMATION', '{}', false) ON CONFLICT ("id") DO NOTHING`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // the system user stays: other documents the system created may name it
    await queryRunner.query(`ALTER TABLE "service_request" DROP CONSTRAINT "FK_2d94ce96d037872e21df6307206"`);
    await queryRunner.query(`ALTER TABLE "consultation" DROP CONSTRAINT "FK_e2f20003469fe579ecfc61142d2"`);
    await queryRunner.query(`ALTER TABLE "consultation" DROP CONSTRAINT "FK_5a06215eaafa61ad10b86ec0073"`);
    await queryRunner.query(`ALTER TABLE "consultation" DROP CONSTRAINT "FK_34316ff8ff65ec4eedaeccb7618"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "consultation_id"`);
    await queryRunner.query(`DROP INDEX "public"."ix_consultation_customer_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_consultation_state_created"`);
    await queryRunner.query(`DROP TABLE "consultation"`);
  }
}
