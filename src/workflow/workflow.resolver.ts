import { GraphQLError } from 'graphql';
import { MoreThanOrEqual } from 'typeorm';
import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';

/** events one verifyAuditChain call checks at most: its cost does not grow with a document's age */
const VERIFY_BATCH = 1_000;
import { Role } from '../auth/roles';
import { allDefinitions, definitionOf } from './registry';
import { AuditChainVerification, AvailableCreation, Workflow } from '../graphql/common.types';
import { creationRefusal } from './engine';
import type { Context } from '../graphql/context';
import { mutationName } from '../graphql/document-resolver';
import { fromGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';

import { PURGE_EVENT, verifyChain } from './audit';
import { CREATE, guardTableOf, NEW, sentByCallers, type DocumentDefinition } from './definition';
import { allTransitions, creationStates, finalStates, mermaidDiagram, stateNames } from './introspection';
import { AuditEvent } from './workflow.entities';
import { COMMUNICATION_TYPE, loadCommunication } from '../communications/communication.resolver';

function describe(def: DocumentDefinition<any, any>): Workflow {
  const transitions = allTransitions(def.machine);
  const guards = guardTableOf(def.machine);
  return {
    type: def.type,
    prefix: def.prefix,
    initialState: creationStates(def.machine)[0],
    createMutation: sentByCallers(def.events[CREATE]) ? mutationName(CREATE, def.type) : null,
    states: stateNames(def.machine).filter((name) => name !== NEW).map((name) => ({
      name,
      final: finalStates(def.machine).includes(name),
      events: [...new Set(transitions.filter((t) => t.from === name).map((t) => t.event))],
    })),
    events: Object.entries(def.events).map(([name, spec]) => {
      const own = transitions.filter((t) => t.event === name);
      const roles = new Set<Role>();
      own.forEach((t) => t.guards.forEach((g) => guards[g].roles?.forEach((r) => roles.add(r))));
      return {
        name,
        description: spec.description,
        mutation: sentByCallers(spec) ? mutationName(name, def.type) : null,
        system: !!spec.system,
        roles: [...roles],
        transitions: own.map((t) => ({
          from: t.from,
          to: t.to,
          guards: t.guards.map((g) => ({ name: g, kind: guards[g].kind, description: guards[g].description, roles: guards[g].roles })),
          effects: t.effects,
          announces: t.announces.map((e) => `${def.type}.${e}`),
        })),
      };
    }),
    mermaid: mermaidDiagram(def.machine),
  };
}


@Resolver()
export class WorkflowResolver {
  @Query(() => [Workflow], { description: 'Every document type\'s machine: states, events, guards, roles and a Mermaid diagram' })
  workflows(): Workflow[] {
    return allDefinitions().map(describe);
  }

  @Query(() => [AvailableCreation], { description: 'The document types you may create (those with a create mutation), and for the others why not: a screen draws its "new" buttons from it' })
  availableCreations(@Ctx() ctx: Context): AvailableCreation[] {
    return allDefinitions()
      .filter((def) => sentByCallers(def.events[CREATE]))
      .map((def) => {
        const refusal = creationRefusal(def, ctx.caller);
        return { type: def.type, mutation: mutationName(CREATE, def.type), allowed: !refusal, code: refusal?.code ?? null, reason: refusal?.message ?? null };
      });
  }

  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when it does not exist or is outside your scope' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<object | null> {
    const parsed = fromGlobalId(id);
    if (!parsed) return null;
    const def = definitionOf(parsed.type);
    if (def) return ctx.loaders.document(def).load(parsed.id);
    if (parsed.type === 'Department') return ctx.loaders.department.load(parsed.id);
    // the communication log: staff only, within their scope (src/communications)
    if (parsed.type === COMMUNICATION_TYPE) return loadCommunication(ctx, parsed.id);
    if (parsed.type === 'User' && ctx.caller.roles.some((r) => r !== Role.CUSTOMER)) return ctx.loaders.user.load(parsed.id);
    if (parsed.type === 'Customer') {
      const staff = ctx.caller.roles.some((r) => r !== Role.CUSTOMER);
      return staff || ctx.caller.customerId === parsed.id ? ctx.loaders.customer.load(parsed.id) : null;
    }
    return null;
  }

  @Query(() => AuditChainVerification, {
    nullable: true,
    description: 'Recomputes a document\'s audit hash chain, at most 1,000 events a call from fromSeq (resumable: a long chain is checked in bounded steps), and says where it breaks; null when the document is outside your scope',
  })
  async verifyAuditChain(
    @Arg('documentId', () => ID) documentId: string,
    @Arg('fromSeq', () => Int, { nullable: true, defaultValue: 1, description: 'the first event to check (its predecessor is read to link it)' }) fromSeq: number,
    @Ctx() ctx: Context,
  ): Promise<AuditChainVerification | null> {
    const parsed = fromGlobalId(documentId);
    const def = parsed && definitionOf(parsed.type);
    if (!parsed || !def) return null;
    const doc = await ctx.loaders.document(def).load(parsed.id);
    if (!doc) return null;
    if (!Number.isSafeInteger(fromSeq) || fromSeq < 1) throw new GraphQLError('fromSeq must be 1 or more', { extensions: { code: 'VALIDATION', field: 'fromSeq' } });
    const rows = await ctx.dataSource.getRepository(AuditEvent).find({
      where: { documentId: parsed.id, seq: MoreThanOrEqual(fromSeq - 1) },
      order: { seq: 'ASC' },
      take: VERIFY_BATCH + 2,
    });
    const previous = fromSeq > 1 ? (rows[0]?.seq === fromSeq - 1 ? rows.shift()! : null) : null;
    if (fromSeq > 1 && !previous) return { valid: false, eventCount: 0, brokenAtSeq: fromSeq - 1, reason: `event #${fromSeq - 1} is missing`, checkedThroughSeq: 0, complete: true };
    const batch = rows.slice(0, VERIFY_BATCH);
    // a purge's removals are accepted only where its PURGE event lists them (src/workflow/audit.ts)
    const purges: Array<{ seq: number; changes: { redacted?: { to?: string[] } } }> = await ctx.dataSource.query(`SELECT seq, changes FROM audit_event WHERE document_id = $1 AND event = $2`, [parsed.id, PURGE_EVENT]);
    const result = verifyChain(batch, previous, new Map(purges.map((p) => [p.seq, p.changes?.redacted?.to ?? []])));
    return { ...result, checkedThroughSeq: batch.at(-1)?.seq ?? 0, complete: rows.length <= VERIFY_BATCH || !result.valid };
  }
}
