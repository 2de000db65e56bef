/**
 * ControllerAdmin's security methods (DESIGN §10): CreateAcls, DeleteAcls, AlterUserScramCredentials and
 * AlterClientQuotas are commands the active controller decides and answers once committed (a standby
 * answers NOT_CONTROLLER); DescribeAcls, DescribeUserScramCredentials and DescribeClientQuotas are served
 * by any controller from its committed image, as ListTopics is. Counts are bounded before anything is
 * converted; every committed change is audit-logged with the caller's principal.
 */
import { LIMITS } from '@tributary/core';
import {
  type AlterClientQuotasResponse,
  type AlterUserScramCredentialsResponse,
  type ControllerAdminHandlers,
  type CreateAclsResponse,
  callerOf,
  type DeleteAclsResponse,
  type DescribeAclsResponse,
  type DescribeClientQuotasResponse,
  type DescribeUserScramCredentialsResponse,
  handleUnary,
  requireCountAtMost,
} from '@tributary/protocol';
import { principalToString } from '@tributary/security';
import { createAcls, deleteAcls, describeAcls } from '../control/acls.js';
import { alterClientQuotas, describeClientQuotas, type QuotaAlteration } from '../control/client-quotas.js';
import {
  alterUserScramCredentials,
  describeUserScramCredentials,
  type ScramDeletion,
  type ScramUpsertion,
} from '../control/scram.js';
import { type Auditor, auditorFor } from './audit.js';
import type { ControllerAdminOptions } from './controller-admin.js';
import {
  aclFilterFromWire,
  aclToWire,
  newAclFromWire,
  quotaEntityFromWire,
  quotaEntityToWire,
  quotaEntryToWire,
  quotaFilterComponentFromWire,
} from './security-convert.js';

type HandleOptions = { readonly onUnexpectedError: (error: unknown) => void };

type SecurityMethods =
  | 'CreateAcls'
  | 'DeleteAcls'
  | 'DescribeAcls'
  | 'AlterUserScramCredentials'
  | 'DescribeUserScramCredentials'
  | 'AlterClientQuotas'
  | 'DescribeClientQuotas';

/** A filter component per entity type at most (user, client-id). */
const QUOTA_FILTER_COMPONENTS_MAX = 2;

function errorFields(error: { readonly code: string; readonly message: string } | null) {
  return { errorCode: error?.code ?? '', errorMessage: error?.message ?? '' };
}

export function createSecurityHandlers(
  options: ControllerAdminOptions,
  handleOptions: HandleOptions,
): Pick<ControllerAdminHandlers, SecurityMethods> {
  const { quorum } = options;
  // Who made the call as the authenticator established it (a broker-forwarded call: its original caller).
  const auditor = (call: { getPeer(): string }): Auditor =>
    auditorFor(options.logger, principalToString(callerOf(call).principal));
  return {
    CreateAcls: handleUnary(async (request, call): Promise<CreateAclsResponse> => {
      requireCountAtMost(request.creations, 'creations', LIMITS.aclsPerRequestMax);
      const creations = request.creations.map((binding, i) => newAclFromWire(binding, `creations[${i}]`));
      const { response } = await quorum.runCommand((latest) =>
        createAcls(latest, { creations }, options.contexts.aclIds()),
      );
      const audit = auditor(call);
      response.results.forEach((result, i) => {
        if (result.created) audit.log('acl.created', { acl: { id: result.id, ...creations[i] } });
      });
      return {
        results: response.results.map((result) => ({ ...errorFields(result.error), id: result.id ?? '' })),
      };
    }, handleOptions),

    DeleteAcls: handleUnary(async (request, call): Promise<DeleteAclsResponse> => {
      requireCountAtMost(request.filters, 'filters', LIMITS.aclFiltersPerRequestMax);
      const filters = request.filters.map((filter, i) => aclFilterFromWire(filter, `filters[${i}]`));
      const { response } = await quorum.runCommand((latest) => deleteAcls(latest, { filters }));
      const audit = auditor(call);
      for (const result of response.results)
        for (const acl of result.deleted) audit.log('acl.deleted', { acl });
      return {
        results: response.results.map((result) => ({
          ...errorFields(result.error),
          deleted: result.deleted.map(aclToWire),
        })),
      };
    }, handleOptions),

    DescribeAcls: handleUnary(async (request): Promise<DescribeAclsResponse> => {
      const filter = aclFilterFromWire(request.filter, 'filter');
      return { acls: describeAcls(quorum.committed, filter).map(aclToWire) };
    }, handleOptions),

    AlterUserScramCredentials: handleUnary(
      async (request, call): Promise<AlterUserScramCredentialsResponse> => {
        requireCountAtMost(
          [...request.deletions, ...request.upsertions],
          'deletions and upsertions',
          LIMITS.scramChangesPerRequestMax,
        );
        const deletions: ScramDeletion[] = request.deletions.map(({ user, mechanism }) => ({
          user,
          mechanism,
        }));
        const upsertions: ScramUpsertion[] = request.upsertions.map((upsertion) => ({
          user: upsertion.user,
          mechanism: upsertion.mechanism,
          iterations: upsertion.iterations,
          salt: upsertion.salt,
          saltedPassword: upsertion.saltedPassword,
        }));
        const { response } = await quorum.runCommand((latest) =>
          alterUserScramCredentials(latest, { deletions, upsertions }),
        );
        const audit = auditor(call);
        const applied = new Set(
          response.results.filter((result) => result.error === null).map((result) => result.user),
        );
        // Who and what only: user, mechanism and iterations, never the salt or the salted password.
        for (const { user, mechanism } of deletions)
          if (applied.has(user)) audit.log('scram.deleted', { user, mechanism });
        for (const { user, mechanism, iterations } of upsertions) {
          if (applied.has(user)) audit.log('scram.upserted', { user, mechanism, iterations });
        }
        return {
          results: response.results.map((result) => ({ user: result.user, ...errorFields(result.error) })),
        };
      },
      handleOptions,
    ),

    DescribeUserScramCredentials: handleUnary(
      async (request): Promise<DescribeUserScramCredentialsResponse> => {
        requireCountAtMost(request.users, 'users', LIMITS.scramUsersMax);
        const described = describeUserScramCredentials(quorum.committed, request.users);
        return {
          results: described.map((user) => ({
            user: user.user,
            ...errorFields(user.error),
            credentials: user.credentials.map(({ mechanism, iterations }) => ({ mechanism, iterations })),
          })),
        };
      },
      handleOptions,
    ),

    AlterClientQuotas: handleUnary(async (request, call): Promise<AlterClientQuotasResponse> => {
      requireCountAtMost(request.entries, 'entries', LIMITS.quotaChangesPerRequestMax);
      const entries = request.entries.map(
        (entry, i): QuotaAlteration => ({
          entity: quotaEntityFromWire(entry.entity, `entries[${i}].entity`),
          ops: entry.ops.map((op) => ({ key: op.key, value: op.remove ? null : op.value })),
        }),
      );
      const { validateOnly } = request;
      const { response } = await quorum.runCommand((latest) =>
        alterClientQuotas(latest, { entries, validateOnly }),
      );
      const audit = auditor(call);
      response.results.forEach((result, i) => {
        if (result.error === null && !validateOnly)
          audit.log('quota.altered', { entity: result.entity, ops: entries[i]?.ops });
      });
      return {
        results: response.results.map((result) => ({
          entity: quotaEntityToWire(result.entity),
          ...errorFields(result.error),
        })),
      };
    }, handleOptions),

    DescribeClientQuotas: handleUnary(async (request): Promise<DescribeClientQuotasResponse> => {
      requireCountAtMost(request.components, 'components', QUOTA_FILTER_COMPONENTS_MAX);
      const components = request.components.map((component, i) =>
        quotaFilterComponentFromWire(component, `components[${i}]`),
      );
      const entries = describeClientQuotas(quorum.committed, { components, strict: request.strict });
      return { entries: entries.map(quotaEntryToWire) };
    }, handleOptions),
  };
}
