import { MigrationInterface, QueryRunner } from 'typeorm';

export class ServiceChain1795468203390 implements MigrationInterface {
  name = 'ServiceChain1795468203390';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "service_task" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" text NOT NULL, "state" text NOT NULL, "version" integer NOT NULL, "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "request_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "department_id" uuid NOT NULL, "description" text, "assignee_id" uuid, "helper_ids" uuid array NOT NULL DEFAULT '{}', "planned_start" TIMESTAMP WITH TIME ZONE, "planned_end" TIMESTAMP WITH TIME ZONE, "resources" text, "estimated_cost" numeric(14,2), "complexity" text NOT NULL DEFAULT 'STANDARD', "tier" text, "approval_round" integer NOT NULL DEFAULT '0', "rejection_reason" text, "dispute_reason" text, "cancellation_reason" text, "submitted_at" TIMESTAMP WITH TIME ZONE, "approved_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_6c5257adf277261040072622652" UNIQUE ("number"), CONSTRAINT "PK_d074aa2a8411815f7345babe840" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_0c6de2f8ef158b5775b57120c9" ON "service_task"  ("request_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_4d19a3c3e3f93dc88f4a00a41e" ON "service_task"  ("customer_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_1f502ebe16437c25218fb13299" ON "service_task"  ("department_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_b6f04a6ea6d26ec547347cd26f" ON "service_task"  ("assignee_id") `);
    await queryRunner.query(`CREATE TABLE "service_record" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" text NOT NULL, "state" text NOT NULL, "version" integer NOT NULL, "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "task_id" uuid NOT NULL, "request_id" uuid NOT NULL, "department_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "actual_start" TIMESTAMP WITH TIME ZONE, "actual_end" TIMESTAMP WITH TIME ZONE, "attachments" jsonb NOT NULL DEFAULT '[]', "send_back_reason" text, "submitted_at" TIMESTAMP WITH TIME ZONE, "reviewed_at" TIMESTAMP WITH TIME ZONE, "reviewed_by_id" uuid, CONSTRAINT "UQ_48fd5dd4a90365abd5b45c1dddd" UNIQUE ("number"), CONSTRAINT "PK_9420457010efff21604d3d9c17b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_e01c54be55ce16c1bc46f7669e" ON "service_record"  ("task_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_c28a528748fbde3286430a3105" ON "service_record"  ("department_id") `);
    await queryRunner.query(`CREATE TABLE "service_record_entry" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "record_id" uuid NOT NULL, "seq" integer NOT NULL, "kind" text NOT NULL, "author_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_service_record_entry_seq" UNIQUE ("record_id", "seq"), CONSTRAINT "PK_7469da469c69a04186aba2ce90c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_a0639c2fdbb0b4b99a90b9f36f" ON "service_record_entry"  ("record_id") `);
    await queryRunner.query(`CREATE TABLE "service_record_entry_revision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "entry_id" uuid NOT NULL, "revision" integer NOT NULL, "text" text NOT NULL, "author_id" uuid NOT NULL, "author_name" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" text, CONSTRAINT "uq_service_record_entry_revision" UNIQUE ("entry_id", "revision"), CONSTRAINT "PK_bed0678afadc67187c70c5fe783" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_d3d350d3d0041b2b1d22d043c8" ON "service_record_entry_revision"  ("entry_id") `);
    await queryRunner.query(`CREATE TABLE "service_acceptance" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" text NOT NULL, "state" text NOT NULL, "version" integer NOT NULL, "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "task_id" uuid NOT NULL, "request_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "department_id" uuid NOT NULL, "round" integer NOT NULL, "items_confirmed" text array NOT NULL DEFAULT '{}', "quality_score" smallint, "satisfaction" text, "comment" text, "signer_name" text, "signed_at" TIMESTAMP WITH TIME ZONE, "signed_by_id" uuid, "issues" text, "query_reason" text, "verified_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_1ecd00bf5a3fe365df0161aad5b" UNIQUE ("number"), CONSTRAINT "uq_service_acceptance_task_round" UNIQUE ("task_id", "round"), CONSTRAINT "PK_146f22918258f547f93c1c5f9bc" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_cafe0de82597d230fb8ef748df" ON "service_acceptance"  ("task_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_5afcc64b9358042d71f14975a3" ON "service_acceptance"  ("customer_id") `);
    await queryRunner.query(`CREATE TABLE "approval_signature" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "document_type" text NOT NULL, "document_id" uuid NOT NULL, "round" integer NOT NULL, "step" text NOT NULL, "decision" text NOT NULL, "tier" text NOT NULL, "signer_id" uuid NOT NULL, "signer_name" text NOT NULL, "signer_role" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "comment" text, CONSTRAINT "PK_6913e66804fb22b2280af7b9a8f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_approval_signature_document_round" ON "approval_signature"  ("document_id", "round") `);
    await queryRunner.query(`ALTER TABLE "service_task" ADD CONSTRAINT "FK_0c6de2f8ef158b5775b57120c9e" FOREIGN KEY ("request_id") REFERENCES "service_request"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD CONSTRAINT "FK_4d19a3c3e3f93dc88f4a00a41e8" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD CONSTRAINT "FK_1f502ebe16437c25218fb132998" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD CONSTRAINT "FK_b6f04a6ea6d26ec547347cd26fb" FOREIGN KEY ("assignee_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD CONSTRAINT "FK_43798d06cbdb3720ab6e61c84e9" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_record" ADD CONSTRAINT "FK_e01c54be55ce16c1bc46f7669eb" FOREIGN KEY ("task_id") REFERENCES "service_task"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_record" ADD CONSTRAINT "FK_20fad2b26cdc88fd7e661699ffc" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_record_entry" ADD CONSTRAINT "FK_a0639c2fdbb0b4b99a90b9f36f6" FOREIGN KEY ("record_id") REFERENCES "service_record"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_record_entry_revision" ADD CONSTRAINT "FK_d3d350d3d0041b2b1d22d043c88" FOREIGN KEY ("entry_id") REFERENCES "service_record_entry"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_acceptance" ADD CONSTRAINT "FK_cafe0de82597d230fb8ef748dfa" FOREIGN KEY ("task_id") REFERENCES "service_task"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_acceptance" DROP CONSTRAINT "FK_cafe0de82597d230fb8ef748dfa"`);
    await queryRunner.query(`ALTER TABLE "service_record_entry_revision" DROP CONSTRAINT "FK_d3d350d3d0041b2b1d22d043c88"`);
    await queryRunner.query(`ALTER TABLE "service_record_entry" DROP CONSTRAINT "FK_a0639c2fdbb0b4b99a90b9f36f6"`);
    await queryRunner.query(`ALTER TABLE "service_record" DROP CONSTRAINT "FK_20fad2b26cdc88fd7e661699ffc"`);
    await queryRunner.query(`ALTER TABLE "service_record" DROP CONSTRAINT "FK_e01c54be55ce16c1bc46f7669eb"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP CONSTRAINT "FK_43798d06cbdb3720ab6e61c84e9"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP CONSTRAINT "FK_b6f04a6ea6d26ec547347cd26fb"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP CONSTRAINT "FK_1f502ebe16437c25218fb132998"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP CONSTRAINT "FK_4d19a3c3e3f93dc88f4a00a41e8"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP CONSTRAINT "FK_0c6de2f8ef158b5775b57120c9e"`);
    await queryRunner.query(`DROP INDEX "public"."ix_approval_signature_document_round"`);
    await queryRunner.query(`DROP TABLE "approval_signature"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5afcc64b9358042d71f14975a3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cafe0de82597d230fb8ef748df"`);
    await queryRunner.query(`DROP TABLE "service_acceptance"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d3d350d3d0041b2b1d22d043c8"`);
    await queryRunner.query(`DROP TABLE "service_record_entry_revision"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a0639c2fdbb0b4b99a90b9f36f"`);
    await queryRunner.query(`DROP TABLE "service_record_entry"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c28a528748fbde3286430a3105"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e01c54be55ce16c1bc46f7669e"`);
    await queryRunner.query(`DROP TABLE "service_record"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b6f04a6ea6d26ec547347cd26f"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1f502ebe16437c25218fb13299"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4d19a3c3e3f93dc88f4a00a41e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0c6de2f8ef158b5775b57120c9"`);
    await queryRunner.query(`DROP TABLE "service_task"`);
  }
}
