// Properties of the tolerant account reader over random records (fast-check): it never throws, it
// never grants a flag that is not exactly `true`, it keeps what it can read, and on a clean record it
// answers exactly what the strict schema does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readAccount, readTolerantly } from '../../src/core/api/account-reader';
import { hasPermission, permissionIndex, PERMISSIONS } from '../../src/core/permissions';

const RUNS = { numRuns: 300 };
const odd = fc.oneof(fc.constant(null), fc.constant(undefined), fc.boolean(), fc.integer(), fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const flags = fc.dictionary(fc.constantFrom(...PERMISSIONS), fc.oneof(fc.boolean(), odd), { maxKeys: 12 });
const uuid = fc.uuid();
const cleanV1 = fc.record({
  uuid,
  username: fc.string({ maxLength: 20 }),
  status: fc.integer({ min: 0, max: 4 }),
  joined: fc.oneof(fc.constant(null), fc.string({ maxLength: 24 })),
  lastLogin: fc.oneof(fc.constant(null), fc.string({ maxLength: 24 })),
  permissions: fc.dictionary(fc.constantFrom(...PERMISSIONS), fc.boolean(), { maxKeys: 12 }),
  apiIds: fc.array(fc.string({ maxLength: 30 }), { maxLength: 4 }),
});
/** A clean record with any of its fields replaced by something odd (or removed). */
const oddV1 = fc.tuple(cleanV1, fc.subarray(['uuid', 'username', 'status', 'joined', 'lastLogin', 'permissions', 'apiIds']), fc.array(odd, { minLength: 7, maxLength: 7 }), flags).map(([clean, fields, values, someFlags]) => {
  const rec: Record<string, unknown> = { ...clean, permissions: { ...clean.permissions, ...someFlags } };
  fields.forEach((f, i) => (values[i] === undefined ? delete rec[f] : (rec[f] = values[i])));
  return rec;
});

describe('the tolerant account reader', () => {
  it('answers the strict schema exactly on clean records (v1 and v2)', () => {
    fc.assert(
      fc.property(cleanV1, fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: null }), (rec, communityUserId) => {
        const v2 = { ...rec, communityUserId, apiIds: undefined };
        for (const [version, record] of [[1, rec], [2, v2]] as const) {
          const strict = readAccount(record, { version });
          const tolerant = readTolerantly(record, { version });
          expect(strict.ok && tolerant.ok).toBe(true);
          if (strict.ok && tolerant.ok) {
            expect(tolerant.account).toEqual(strict.account);
            expect(tolerant.odd).toEqual([]);
          }
        }
      }),
      RUNS,
    );
  });

  it('never throws, never grants a flag that is not exactly true, keeps the uuid, and falls back to the status a page asked for', () => {
    fc.assert(
      fc.property(oddV1, fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }), (rec, statusAsked) => {
        const read = readAccount(rec, { version: 1, statusAsked });
        const uuidReadable = typeof rec.uuid === 'string' && rec.uuid !== '' && rec.uuid.length <= 64;
        if (!uuidReadable) {
          expect(read.ok).toBe(false);
          return;
        }
        const status = typeof rec.status === 'string' && /^\s*\d{1,2}\s*$/.test(rec.status) ? Number(rec.status) : rec.status;
        const statusReadable = typeof status === 'number' && Number.isInteger(status) && status >= 0 && status <= 99;
        if (!statusReadable && statusAsked === undefined) {
          expect(read.ok).toBe(false);
          return;
        }
        expect(read.ok).toBe(true);
        if (!read.ok) return;
        expect(read.account.uuid).toBe(String(rec.uuid).toLowerCase()); // lower-cased once, when the record is built
        expect(read.account.status).toBe(statusReadable ? status : statusAsked);
        const given = (typeof rec.permissions === 'object' && rec.permissions !== null ? rec.permissions : {}) as Record<string, unknown>;
        for (const name of PERMISSIONS) expect(hasPermission(read.account, permissionIndex(name)), name).toBe(!Array.isArray(given) && given[name] === true);
        const ids = Array.isArray(rec.apiIds) ? rec.apiIds : [];
        for (const id of read.account.apiIds) expect(ids).toContain(id);
      }),
      RUNS,
    );
  });
});
