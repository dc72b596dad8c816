import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795466953471 implements MigrationInterface {
  name = 'Foundation1795466953471';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "department" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name" text NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9a2213262c1593bffb581e382f5" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_62690f4fe31da9eb824d909285" ON "department"  ("code") `);
    await queryRunner.query(`CREATE TABLE "customer" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name" text NOT NULL, "tier" text NOT NULL DEFAULT 'STANDARD', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a7a13f4cacb744524e44dfdad32" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_68db634015cb7defd6b98f910f" ON "customer"  ("code") `);
    await queryRunner.query(`CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "login" text NOT NULL, "kind" text NOT NULL DEFAULT 'HUMAN', "roles" text array NOT NULL DEFAULT '{}', "department_id" uuid, "customer_id" uuid, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_3548498ed5dc0f4d28dde9d67a" ON "app_user"  ("login") `);
    await queryRunner.query(`CREATE TABLE "api_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "token_hash" text NOT NULL, "label" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d862311c568d175c26f41bc6f98" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_1725c5ea908ff009f6ab3fa34f" ON "api_token"  ("user_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_bafaa5aab5957cd193fb2da8f2" ON "api_token"  ("token_hash") `);
    await queryRunner.query(`CREATE TABLE "audit_event" ("id" BIGSERIAL NOT NULL, "document_type" text NOT NULL, "document_id" uuid NOT NULL, "seq" integer NOT NULL, "event" text NOT NULL, "from_state" text, "to_state" text NOT NULL, "version" integer NOT NULL, "actor_id" uuid NOT NULL, "actor_name" text NOT NULL, "actor_roles" text array NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" text, "changes" jsonb NOT NULL DEFAULT '{}', "request_id" text, "idempotency_key" text, "prev_hash" text, "hash" text NOT NULL, CONSTRAINT "uq_audit_event_document_seq" UNIQUE ("document_id", "seq"), CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_b33876435818722fb04447152b" ON "audit_event"  ("document_id") `);
    await queryRunner.query(`CREATE TABLE "document_counter" ("prefix" text NOT NULL, "year" integer NOT NULL, "last" integer NOT NULL, CONSTRAINT "PK_0c1c8c900078881167752d80154" PRIMARY KEY ("prefix", "year"))`);
    await queryRunner.query(`CREATE TABLE "service_request" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" text NOT NULL, "state" text NOT NULL, "version" integer NOT NULL, "created_by_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "customer_id" uuid NOT NULL, "contact_name" text, "contact_phone" text, "address" text, "channel" text NOT NULL, "category" text NOT NULL, "service_type" text NOT NULL, "description" text, "expected_from" TIMESTAMP WITH TIME ZONE, "expected_to" TIMESTAMP WITH TIME ZONE, "urgency" text NOT NULL DEFAULT 'NORMAL', "urgency_rank" smallint NOT NULL DEFAULT '0', "special_requirements" text, "site_distance_km" numeric(8,1), "estimated_amount" numeric(14,2), "complexity" text NOT NULL DEFAULT 'STANDARD', "target_department_id" uuid, "internal_note" text, "return_reason" text, "rejection_reason" text, "cancellation_reason" text, "submitted_at" TIMESTAMP WITH TIME ZONE, "accepted_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_44f50a2f3c36719535807778acd" UNIQUE ("number"), CONSTRAINT "PK_08446fa58294cb2dd0b6ff9e5a7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_c9391281e6eb416cd6ea3b0f3a" ON "service_request"  ("target_department_id") `);
    await queryRunner.query(`CREATE INDEX "ix_service_request_state_created" ON "service_request"  ("state", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_service_request_customer_created" ON "service_request"  ("customer_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "app_user" ADD CONSTRAINT "FK_7bbda4c333c1da023d2f2ae7320" FOREIGN KEY ("department_id") REFERENCES "department"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "app_user" ADD CONSTRAINT "FK_c1f216147b3569ec3a7dbd18736" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "api_token" ADD CONSTRAINT "FK_1725c5ea908ff009f6ab3fa34fd" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD CONSTRAINT "FK_c9189f5dca859632160d7a08ca1" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD CONSTRAINT "FK_c9391281e6eb416cd6ea3b0f3aa" FOREIGN KEY ("target_department_id") REFERENCES "department"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "service_request" ADD CONSTRAINT "FK_0292f60d5367933c121ce0b541d" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_request" DROP CONSTRAINT "FK_0292f60d5367933c121ce0b541d"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP CONSTRAINT "FK_c9391281e6eb416cd6ea3b0f3aa"`);
    await queryRunner.query(`ALTER TABLE "service_request" DROP CONSTRAINT "FK_c9189f5dca859632160d7a08ca1"`);
    await queryRunner.query(`ALTER TABLE "api_token" DROP CONSTRAINT "FK_1725c5ea908ff009f6ab3fa34fd"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP CONSTRAINT "FK_c1f216147b3569ec3a7dbd18736"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP CONSTRAINT "FK_7bbda4c333c1da023d2f2ae7320"`);
    await queryRunner.query(`DROP INDEX "public"."ix_service_request_customer_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_service_request_state_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c9391281e6eb416cd6ea3b0f3a"`);
    await queryRunner.query(`DROP TABLE "service_request"`);
    await queryRunner.query(`DROP TABLE "document_counter"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b33876435818722fb04447152b"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bafaa5aab5957cd193fb2da8f2"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1725c5ea908ff009f6ab3fa34f"`);
    await queryRunner.query(`DROP TABLE "api_token"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3548498ed5dc0f4d28dde9d67a"`);
    await queryRunner.query(`DROP TABLE "app_user"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_68db634015cb7defd6b98f910f"`);
    await queryRunner.query(`DROP TABLE "customer"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_62690f4fe31da9eb824d909285"`);
    await queryRunner.query(`DROP TABLE "department"`);
  }
}
