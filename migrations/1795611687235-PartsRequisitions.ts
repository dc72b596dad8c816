import { MigrationInterface, QueryRunner } from 'typeorm';

export class PartsRequisitions1795611687235 implements MigrationInterface {
  name = 'PartsRequisitions1795611687235';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "parts_requisition" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" text NOT NULL, "state" text NOT NULL, "version" integer NOT NULL, "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "task_id" uuid NOT NULL, "request_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "department_id" uuid NOT NULL, "lines" jsonb NOT NULL DEFAULT '[]', "total_amount" numeric(14,2) NOT NULL DEFAULT '0', "tier" text, "approval_round" integer NOT NULL DEFAULT '0', "rejection_reason" text, "cancellation_reason" text, "submitted_at" TIMESTAMP WITH TIME ZONE, "approved_at" TIMESTAMP WITH TIME ZONE, "issued_at" TIMESTAMP WITH TIME ZONE, "issued_by_id" uuid, "consumed_in_record_id" uuid, "consumed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_810635e9fc735333370bdc8e760" UNIQUE ("number"), CONSTRAINT "PK_46fc891ef97d2a5fc7986d0ac5b" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_55f5a2f5e7a8a254d775cec29c" ON "parts_requisition"  ("task_id") `);
    await queryRunner.query(`CREATE INDEX "ix_parts_requisition_department_state_created" ON "parts_requisition"  ("department_id", "state", "created_at") `);
    await queryRunner.query(`ALTER TABLE "parts_requisition" ADD CONSTRAINT "FK_55f5a2f5e7a8a254d775cec29c2" FOREIGN KEY ("task_id") REFERENCES "service_task"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" ADD CONSTRAINT "FK_2e0e1a655dfee85b08a8b360357" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" ADD CONSTRAINT "FK_3324b121f31e45385e4627c8c65" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" ADD CONSTRAINT "FK_536cc67fd1bdcc7060e1b319e50" FOREIGN KEY ("issued_by_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" ADD CONSTRAINT "FK_7c4759a42b9bf030dec2bf140c4" FOREIGN KEY ("consumed_in_record_id") REFERENCES "service_record"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" ADD CONSTRAINT "FK_8f0e5b8e20122016fceca23b263" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "parts_requisition" DROP CONSTRAINT "FK_8f0e5b8e20122016fceca23b263"`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" DROP CONSTRAINT "FK_7c4759a42b9bf030dec2bf140c4"`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" DROP CONSTRAINT "FK_536cc67fd1bdcc7060e1b319e50"`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" DROP CONSTRAINT "FK_3324b121f31e45385e4627c8c65"`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" DROP CONSTRAINT "FK_2e0e1a655dfee85b08a8b360357"`);
    await queryRunner.query(`ALTER TABLE "parts_requisition" DROP CONSTRAINT "FK_55f5a2f5e7a8a254d775cec29c2"`);
    await queryRunner.query(`DROP INDEX "public"."ix_parts_requisition_department_state_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_55f5a2f5e7a8a254d775cec29c"`);
    await queryRunner.query(`DROP TABLE "parts_requisition"`);
  }
}
