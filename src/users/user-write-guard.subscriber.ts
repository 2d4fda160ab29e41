import { EntitySubscriberInterface, EventSubscriber, RemoveEvent, UpdateEvent } from 'typeorm';
import { assertAppMayChangeUser, assertAppMayDeleteUser, identityFieldsAmong, userWriterOf } from './managed-by-scim.policy';
import { User } from './user.entity';

/**
 * The managed-by-SCIM policy at the ORM layer, for every module: any User update or delete that is
 * not SCIM's own is checked before it reaches the database.
 *
 * - `save()`/`remove()` of a User entity: TypeORM gives the stored row, so the rule is applied
 *   exactly (identity fields of a managed user are refused; permission fields pass).
 * - Query-builder updates (`em.update(User, …)`) and deletes (`em.delete(User, …)`) do not say
 *   which rows they touch, so those that change identity fields or delete users are refused unless
 *   the code marked the transaction `policy-checked` after asserting the policy itself
 *   (UserLifecycleService does).
 */
@EventSubscriber()
export class UserWriteGuardSubscriber implements EntitySubscriberInterface<User> {
  listenTo(): typeof User {
    return User;
  }

  beforeUpdate(event: UpdateEvent<User>): void {
    const writer = userWriterOf(event.queryRunner.data);
    if (writer === 'scim') return;
    const stored = event.databaseEntity;
    if (stored) {
      assertAppMayChangeUser(
        stored,
        event.updatedColumns.map((column) => column.propertyName),
      );
      return;
    }
    const fields = identityFieldsAmong(Object.keys(event.entity ?? {}));
    if (fields.length > 0 && writer !== 'policy-checked') {
      throw new Error(`User identity (${fields.join(', ')}) may only change through save() of the entity, so the SCIM policy can check it`);
    }
  }

  beforeRemove(event: RemoveEvent<User>): void {
    const writer = userWriterOf(event.queryRunner.data);
    if (writer === 'scim') return;
    if (event.databaseEntity) {
      assertAppMayDeleteUser(event.databaseEntity);
      return;
    }
    if (writer !== 'policy-checked') {
      throw new Error('Users may only be deleted through UserLifecycleService, which applies the SCIM policy');
    }
  }
}
