import type { Principal } from './principal';

/**
 * The inspector's principal (issue #23). Recognised by identity, never by id: no `auth` hook can
 * make a user into the inspector, whatever id it returns.
 */
export const INSPECTOR_PRINCIPAL: Principal = Object.freeze({ id: '@inspector' });

/** The server-only topic that feeds the inspector page (declared only when the inspector is on). */
export const INSPECTOR_TOPIC = '@inspector';

/** Whether a principal is the inspector's. */
export function isInspector(principal: Principal | null): boolean {
  return principal === INSPECTOR_PRINCIPAL;
}
