import { ACCOUNT_STATUS } from '../core/types';

const NAMES = Object.fromEntries(Object.entries(ACCOUNT_STATUS).map(([name, code]) => [code, name])) as Record<number, string>;

/** `active`, `banned`, ... or `status 7` for a code the reference does not list. */
export function statusName(status: number): string {
  return NAMES[status] ?? `status ${status}`;
}
