import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Role } from '../auth/roles';
import { allDefinitions, definitionOf } from './registry';
import { AuditChainVerification, AvailableCreation, Workflow } from '../graphql/common.types';
import { creationRefusal } from './engine';
import type { Context } from '../graphql/context';
import { mutationName } from '../graphql/document-resolver';
import { fromGlobalId } from '../graphql/global-id';
import { Node } from '../graphql/node';

import { verifyChain } from './audit';
import { CREATE, guardTableOf, NEW, sentByCallers, type DocumentDefinition } from './definition';
import { allTransitions, creationStates, finalStates, mermaidDiagram, stateNames } from './introspection';
import { AuditEvent } from './workflow.entities';

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
    if (parsed.type === 'User' && ctx.caller.roles.some((r) => r !== Role.CUSTOMER)) return ctx.loaders.user.load(parsed.id);
    if (parsed.type === 'Customer') {
      const staff = ctx.caller.roles.some((r) => r !== Role.CUSTOMER);
      return staff || ctx.caller.customerId === parsed.id ? ctx.loaders.customer.load(parsed.id) : null;
    }
    return null;
  }

  @Query(() => AuditChainVerification, {
    nullable: true,
    description: 'Recomputes a document\'s audit hash chain and says where it breaks; null when the document is outside your scope',
  })
  async verifyAuditChain(@Arg('documentId', () => ID) documentId: string, @Ctx() ctx: Context): Promise<AuditChainVerification | null> {
    const parsed = fromGlobalId(documentId);
    const def = parsed && definitionOf(parsed.type);
    if (!parsed || !def) return null;
    const doc = await ctx.loaders.document(def).load(parsed.id);
    if (!doc) return null;
    const events = await ctx.dataSource.getRepository(AuditEvent).find({ where: { documentId: parsed.id }, order: { seq: 'ASC' } });
    return verifyChain(events);
  }
}
