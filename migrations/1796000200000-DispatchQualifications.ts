import { MigrationInterface, QueryRunner } from 'typeorm';

export class DispatchQualifications1796000200000 implements MigrationInterface {
  name = 'DispatchQualifications1796000200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "region" ("code" text NOT NULL, "name" text NOT NULL, CONSTRAINT "PK_74f7723fdff738f92929c0056cb" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE TABLE "qualification" ("code" text NOT NULL, "name" text NOT NULL, CONSTRAINT "PK_ba1e477aaaa6b5703968001fb9a" PRIMARY KEY ("code"))`);
    await queryRunner.query(`CREATE TABLE "service_type_qualification" ("service_type" text NOT NULL, "qualification_code" text NOT NULL, CONSTRAINT "PK_9a13f1e6eb4ef365473512c80ad" PRIMARY KEY ("service_type"))`);
    await queryRunner.query(`CREATE TABLE "technician_certificate" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "qualification_code" text NOT NULL, "certificate_number" text NOT NULL, "valid_from" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recorded_by_id" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_by_id" uuid, "revoke_reason" text, CONSTRAINT "PK_5f86c058a6ff21b93a4d8c2177e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_d9d289768f759c0044f5b8c354" ON "technician_certificate"  ("user_id", "qualification_code") `);
    await queryRunner.query(`ALTER TABLE "customer" ADD "region_code" text`);
    await queryRunner.query(`ALTER TABLE "app_user" ADD "region_code" text`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD "region_code" text`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "dispatch_number" text`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "dispatched_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "dispatched_by_id" uuid`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "dispatch_agent_name" text`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "dispatch_urgency" text`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "dispatch_region_code" text`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "dispatch_note" text`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "dispatch_returned_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "customer_contacted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "customer_contact_channel" text`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "customer_contact_person" text`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "agreed_visit_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "agreed_visit_place" text`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD "contact_recorded_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_e2c4750f7d37814b0017efd9ea" ON "service_task"  ("dispatch_number") WHERE dispatch_number IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "customer" ADD CONSTRAINT "FK_720b77415c0e088916cbeaef94e" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "app_user" ADD CONSTRAINT "FK_ef275dd927b3ab68060799af298" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD CONSTRAINT "FK_bcb1ca9a1cb5d18df3bf89ccb02" FOREIGN KEY ("region_code") REFERENCES "region"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_task" ADD CONSTRAINT "FK_577b6caad07720d7f9aead220b7" FOREIGN KEY ("dispatch_region_code") REFERENCES "region"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_type_qualification" ADD CONSTRAINT "FK_7f44db37d3f8f7a5df8151f2ce4" FOREIGN KEY ("qualification_code") REFERENCES "qualification"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "technician_certificate" ADD CONSTRAINT "FK_0f58ed9e316780dda1654c286e4" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "technician_certificate" ADD CONSTRAINT "FK_83d40ac92f9a6b99cea442b2f5b" FOREIGN KEY ("qualification_code") REFERENCES "qualification"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "technician_certificate" ADD CONSTRAINT "FK_aa787639ee92b9bf2b41b367041" FOREIGN KEY ("recorded_by_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "technician_certificate" ADD CONSTRAINT "FK_6ccda244691160ad897c3f66470" FOREIGN KEY ("revoked_by_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "technician_certificate" ADD CONSTRAINT "CHK_technician_certificate_period" CHECK ("expires_at" > "valid_from")`);
    await queryRunner.query(`ALTER TABLE "technician_certificate" ADD CONSTRAINT "UQ_technician_certificate_number" UNIQUE ("qualification_code", "certificate_number")`);
    // certificates are recorded and revoked, never deleted: who recorded and who revoked stay on the row
    await queryRunner.query(`REVOKE DELETE, TRUNCATE ON "technician_certificate" FROM sdd_app`);
    // reference data (SPEC §3.10): a few service regions, the qualifications (seed 002: 持證上崗) and what each service type needs
    await queryRunner.query(`INSERT INTO "region" ("code", "name") VALUES
      ('EAST', '華東 East China'), ('NORTH', '華北 North China'), ('SOUTH', '華南 South China'), ('CENTRAL', '華中 Central China'), ('WEST', '西部 West China')`);
    await queryRunner.query(`INSERT INTO "qualification" ("code", "name") VALUES
      ('REPAIR', '維修上崗證 Repair technician certificate'), ('INSTALLATION', '安裝上崗證 Installation certificate'), ('ELECTRICAL', '電工作業證 Electrician licence')`);
    await queryRunner.query(`INSERT INTO "service_type_qualification" ("service_type", "qualification_code") VALUES ('REPAIR', 'REPAIR'), ('INSTALLATION', 'INSTALLATION')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "technician_certificate" DROP CONSTRAINT "UQ_technician_certificate_number"`);
    await queryRunner.query(`ALTER TABLE "technician_certificate" DROP CONSTRAINT "CHK_technician_certificate_period"`);
    await queryRunner.query(`ALTER TABLE "technician_certificate" DROP CONSTRAINT "FK_6ccda244691160ad897c3f66470"`);
    await queryRunner.query(`ALTER TABLE "technician_certificate" DROP CONSTRAINT "FK_aa787639ee92b9bf2b41b367041"`);
    await queryRunner.query(`ALTER TABLE "technician_certificate" DROP CONSTRAINT "FK_83d40ac92f9a6b99cea442b2f5b"`);
    await queryRunner.query(`ALTER TABLE "technician_certificate" DROP CONSTRAINT "FK_0f58ed9e316780dda1654c286e4"`);
    await queryRunner.query(`ALTER TABLE "service_type_qualification" DROP CONSTRAINT "FK_7f44db37d3f8f7a5df8151f2ce4"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP CONSTRAINT "FK_577b6caad07720d7f9aead220b7"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP CONSTRAINT "FK_bcb1ca9a1cb5d18df3bf89ccb02"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP CONSTRAINT "FK_ef275dd927b3ab68060799af298"`);
    await queryRunner.query(`ALTER TABLE "customer" DROP CONSTRAINT "FK_720b77415c0e088916cbeaef94e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e2c4750f7d37814b0017efd9ea"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "contact_recorded_at"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "agreed_visit_place"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "agreed_visit_at"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "customer_contact_person"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "customer_contact_channel"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "customer_contacted_at"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "dispatch_returned_at"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "dispatch_note"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "dispatch_region_code"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "dispatch_urgency"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "dispatch_agent_name"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "dispatched_by_id"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "dispatched_at"`);
    await queryRunner.query(`ALTER TABLE "service_task" DROP COLUMN "dispatch_number"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP COLUMN "region_code"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "region_code"`);
    await queryRunner.query(`ALTER TABLE "customer" DROP COLUMN "region_code"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d9d289768f759c0044f5b8c354"`);
    await queryRunner.query(`DROP TABLE "technician_certificate"`);
    await queryRunner.query(`DROP TABLE "service_type_qualification"`);
    await queryRunner.query(`DROP TABLE "qualification"`);
    await queryRunner.query(`DROP TABLE "region"`);
  }
}
