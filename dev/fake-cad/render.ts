// The wire shapes: v1 accounts carry apiIds, v2 accounts carry communityUserId; neither carries identities.
import type { FakeAccount } from './generate';

export function renderAccount(account: FakeAccount, version: 1 | 2): Record<string, unknown> {
  const { uuid, username, status, joined, lastLogin, permissions } = account;
  const common = { uuid, username, status, joined, lastLogin, permissions: { ...permissions } };
  return version === 1
    ? { ...common, apiIds: [...account.apiIds] }
    : { uuid, username, communityUserId: account.communityUserId, status, joined, lastLogin, permissions: common.permissions };
}

export function problem(status: number, title: string, detail: string, instance: string) {
  return {
    type: `https://httpstatuses.io/${status}`,
    title,
    status,
    detail,
    instance,
    traceId: `00-${Math.random().toString(16).slice(2).padEnd(32, '0')}-01`,
  };
}
