/**
 * Regions, qualifications and technicians' certificates (SPEC §3.10, seed 002: 持證上崗). Certificates are managed
 * by ADMIN or a supervisor of the technician's department; every row keeps who recorded it and who revoked it, when
 * and why (the app role may not delete them). Portal users never see a technician's region or certificates.
 */
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { hasRole, Role, type Caller } from '../auth/roles';
import type { Context } from '../graphql/context';
import { idOf, toGlobalId } from '../graphql/global-id';
import { StaffOnly } from '../graphql/staff-only';
import { IdempotencyRefusal, InputValidationAsUserErrors } from '../graphql/mutation-middleware';
import { UserErrorCode, type UserErrorData } from '../workflow/errors';
import { ServiceType } from '../vocabulary';
import { Qualification, Region, ServiceTypeQualification, TechnicianCertificate } from './field-service.entities';
import {
  QualificationType,
  RecordTechnicianCertificateInput,
  RegionType,
  RevokeTechnicianCertificateInput,
  TechnicianCertificatePayload,
  TechnicianCertificateType,
} from './field-service.types';
import { User } from './organisation.entities';
import { UserType } from './organisation.types';

const error = (code: UserErrorCode, message: string, field: string | null = null): UserErrorData & { field: string | null } => ({ code, message, field });
const refused = (e: UserErrorData & { field: string | null }): TechnicianCertificatePayload => ({ certificate: null, userErrors: [e] });

/** ADMIN, or a supervisor of the technician's department (SPEC §1: people are ADMIN's; a department's staff its supervisor's). */
const managesTechnician = (caller: Caller, technician: User): boolean =>
  hasRole(caller, Role.ADMIN) || (hasRole(caller, Role.SUPERVISOR) && !!caller.departmentId && caller.departmentId === technician.departmentId);

export function certificateView(c: TechnicianCertificate, now: Date): TechnicianCertificateType {
  return {
    id: toGlobalId('TechnicianCertificate', c.id),
    qualificationCode: c.qualificationCode,
    certificateNumber: c.certificateNumber,
    validFrom: c.validFrom,
    expiresAt: c.expiresAt,
    valid: !c.revokedAt && c.validFrom <= now && c.expiresAt > now,
    technician: c.userId,
    recordedBy: c.recordedById,
    recordedAt: c.recordedAt,
    revokedAt: c.revokedAt,
    revokedBy: c.revokedById,
    revokeReason: c.revokeReason,
  };
}

@Resolver(() => TechnicianCertificateType)
export class TechnicianCertificateResolver {
  @FieldResolver(() => UserType, { nullable: true })
  technician(@Root() c: TechnicianCertificateType, @Ctx() ctx: Context) {
    return ctx.loaders.user.load(c.technician as string);
  }

  @FieldResolver(() => UserType, { nullable: true })
  recordedBy(@Root() c: TechnicianCertificateType, @Ctx() ctx: Context) {
    return ctx.loaders.user.load(c.recordedBy as string);
  }

  @FieldResolver(() => UserType, { nullable: true })
  revokedBy(@Root() c: TechnicianCertificateType, @Ctx() ctx: Context) {
    return c.revokedBy ? ctx.loaders.user.load(c.revokedBy as string) : null;
  }
}

@Resolver(() => UserType)
export class TechnicianQualificationResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Staff only. A technician\'s service region (dispatch by region)' })
  @UseMiddleware(StaffOnly)
  regionCode(@Root() u: User): string | null {
    return u.regionCode ?? null;
  }

  @FieldResolver(() => [TechnicianCertificateType], { nullable: true, description: 'Staff only (null for portal users). The technician\'s certificates (持證上崗), revoked and expired ones included, latest to expire first' })
  @UseMiddleware(StaffOnly)
  async certificates(@Root() u: User, @Ctx() ctx: Context): Promise<TechnicianCertificateType[]> {
    // the certificates of every user of the answer in one statement (an assignee on each task of a list)
    const loader = ctx.loaders.memo('certificates', () =>
      new DataLoader<string, TechnicianCertificate[]>(async (ids) => {
        const all = await ctx.dataSource.getRepository(TechnicianCertificate).find({ where: { userId: In([...ids]) }, order: { expiresAt: 'DESC' } });
        return ids.map((id) => all.filter((c) => c.userId === id));
      }),
    );
    const rows = await loader.load(u.id);
    const now = ctx.config.clock();
    return rows.map((c) => certificateView(c, now));
  }
}

@Resolver()
export class FieldServiceResolver {
  @Query(() => [RegionType], { description: 'The service regions' })
  regions(@Ctx() ctx: Context): Promise<Region[]> {
    return ctx.dataSource.getRepository(Region).find({ order: { code: 'ASC' } });
  }

  @Query(() => [QualificationType], { description: 'The qualifications technicians are certified for, and the service types that need each' })
  async qualifications(@Ctx() ctx: Context): Promise<QualificationType[]> {
    const [all, needs] = await Promise.all([ctx.dataSource.getRepository(Qualification).find({ order: { code: 'ASC' } }), ctx.dataSource.getRepository(ServiceTypeQualification).find()]);
    return all.map((q) => ({ code: q.code, name: q.name, serviceTypes: needs.filter((n) => n.qualificationCode === q.code).map((n) => n.serviceType as ServiceType) }));
  }

  @Mutation(() => TechnicianCertificatePayload, { description: 'ADMIN or a supervisor of the technician\'s department records a technician\'s certificate (who and when are kept on it)' })
  @UseMiddleware(IdempotencyRefusal, InputValidationAsUserErrors)
  async recordTechnicianCertificate(@Arg('input', () => RecordTechnicianCertificateInput) input: RecordTechnicianCertificateInput, @Ctx() ctx: Context): Promise<TechnicianCertificatePayload> {
    const userId = idOf(input.technicianId, 'User');
    const technician = userId ? await ctx.dataSource.getRepository(User).findOneBy({ id: userId }) : null;
    if (!hasRole(ctx.caller, Role.ADMIN) && !hasRole(ctx.caller, Role.SUPERVISOR)) return refused(error(UserErrorCode.FORBIDDEN, 'Only an administrator or a supervisor of the technician\'s department records certificates.'));
    if (!technician || !technician.roles.includes(Role.TECHNICIAN)) return refused(error(UserErrorCode.VALIDATION, 'technicianId must name a technician', 'technicianId'));
    if (!managesTechnician(ctx.caller, technician)) return refused(error(UserErrorCode.FORBIDDEN, 'Only an administrator or a supervisor of the technician\'s department records certificates.'));
    if (!(await ctx.dataSource.getRepository(Qualification).existsBy({ code: input.qualificationCode }))) return refused(error(UserErrorCode.VALIDATION, 'qualificationCode must name a qualification (see qualifications)', 'qualificationCode'));
    if (input.expiresAt <= input.validFrom) return refused(error(UserErrorCode.VALIDATION, 'expiresAt must be after validFrom', 'expiresAt'));
    const number = input.certificateNumber.trim();
    const saved = await ctx.dataSource.transaction(async (manager) => {
      // one holder per certificate number of a qualification (the unique constraint backs this up under a race)
      const taken = await manager.query(`SELECT 1 FROM technician_certificate WHERE qualification_code = $1 AND certificate_number = $2 FOR UPDATE`, [input.qualificationCode, number]);
      if (taken.length) return null;
      return manager.getRepository(TechnicianCertificate).save({
        userId: technician.id,
        qualificationCode: input.qualificationCode,
        certificateNumber: number,
        validFrom: input.validFrom,
        expiresAt: input.expiresAt,
        recordedById: ctx.caller.userId,
        recordedAt: ctx.config.clock(),
        revokedAt: null,
        revokedById: null,
        revokeReason: null,
      });
    });
    if (!saved) return refused(error(UserErrorCode.VALIDATION, `certificate ${number} of ${input.qualificationCode} is recorded already`, 'certificateNumber'));
    ctx.effects.committed = true;
    ctx.log.info({ certificate: saved.id, technician: technician.id, qualification: saved.qualificationCode, by: ctx.caller.userId }, 'technician certificate recorded');
    return { certificate: certificateView(saved, ctx.config.clock()), userErrors: [] };
  }

  @Mutation(() => TechnicianCertificatePayload, { description: 'ADMIN or a supervisor of the technician\'s department revokes a certificate (who, when and why are kept on it); assignments needing it are refused from then on' })
  @UseMiddleware(IdempotencyRefusal, InputValidationAsUserErrors)
  async revokeTechnicianCertificate(@Arg('input', () => RevokeTechnicianCertificateInput) input: RevokeTechnicianCertificateInput, @Ctx() ctx: Context): Promise<TechnicianCertificatePayload> {
    const id = idOf(input.id, 'TechnicianCertificate');
    const notFound = refused(error(UserErrorCode.NOT_FOUND, 'No such certificate.', 'id'));
    if (!id || (!hasRole(ctx.caller, Role.ADMIN) && !hasRole(ctx.caller, Role.SUPERVISOR))) return hasRole(ctx.caller, Role.ADMIN) || hasRole(ctx.caller, Role.SUPERVISOR) ? notFound : refused(error(UserErrorCode.FORBIDDEN, 'Only an administrator or a supervisor of the technician\'s department revokes certificates.'));
    const outcome = await ctx.dataSource.transaction(async (manager) => {
      const cert = await manager.getRepository(TechnicianCertificate).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!cert) return notFound;
      const technician = await manager.getRepository(User).findOneBy({ id: cert.userId });
      if (!technician || !managesTechnician(ctx.caller, technician)) return refused(error(UserErrorCode.FORBIDDEN, 'Only an administrator or a supervisor of the technician\'s department revokes certificates.'));
      if (cert.revokedAt) return refused(error(UserErrorCode.INVALID_TRANSITION, 'The certificate was revoked already.'));
      cert.revokedAt = ctx.config.clock();
      cert.revokedById = ctx.caller.userId;
      cert.revokeReason = input.reason.trim();
      await manager.getRepository(TechnicianCertificate).save(cert);
      return { certificate: certificateView(cert, ctx.config.clock()), userErrors: [] };
    });
    if (outcome.userErrors.length === 0) ctx.effects.committed = true;
    return outcome;
  }
}
