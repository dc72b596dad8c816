import { Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../auth/roles';
import type { Context } from '../graphql/context';
import { toGlobalId } from '../graphql/global-id';
import { registerNodeType } from '../graphql/node';
import { Customer, Department, User } from './organisation.entities';
import { CustomerType, DepartmentType, UserType } from './organisation.types';

registerNodeType(Department, 'Department');
registerNodeType(Customer, 'Customer');
registerNodeType(User, 'User');

@Resolver(() => DepartmentType)
export class DepartmentResolver {
  @FieldResolver(() => ID)
  id(@Root() d: Department): string {
    return toGlobalId('Department', d.id);
  }

  @Query(() => [DepartmentType], { description: 'All departments' })
  departments(@Ctx() ctx: Context): Promise<Department[]> {
    return ctx.dataSource.getRepository(Department).find({ order: { code: 'ASC' } });
  }
}

@Resolver(() => CustomerType)
export class CustomerResolver {
  @FieldResolver(() => ID)
  id(@Root() c: Customer): string {
    return toGlobalId('Customer', c.id);
  }

  @Query(() => [CustomerType], { description: 'Customers: staff see all, portal users their own organisation' })
  customers(@Ctx() ctx: Context): Promise<Customer[]> {
    const repo = ctx.dataSource.getRepository(Customer);
    if (ctx.caller.roles.some((r) => r !== Role.CUSTOMER)) return repo.find({ order: { code: 'ASC' } });
    return ctx.caller.customerId ? repo.find({ where: { id: ctx.caller.customerId } }) : Promise.resolve([]);
  }
}

@Resolver(() => UserType)
export class UserResolver {
  @FieldResolver(() => ID)
  id(@Root() u: User): string {
    return toGlobalId('User', u.id);
  }

  @FieldResolver(() => DepartmentType, { nullable: true })
  department(@Root() u: User, @Ctx() ctx: Context): Promise<Department | null> | null {
    return u.departmentId ? ctx.loaders.department.load(u.departmentId) : null;
  }

  @FieldResolver(() => CustomerType, { nullable: true, description: 'the organisation of a portal user' })
  customer(@Root() u: User, @Ctx() ctx: Context): Promise<Customer | null> | null {
    return u.customerId ? ctx.loaders.customer.load(u.customerId) : null;
  }

  @Query(() => UserType, { description: 'The caller' })
  me(@Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.user.load(ctx.caller.userId);
  }
}
