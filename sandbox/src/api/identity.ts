import { jsonReply, type Reply } from '../http/reply';
import { route, type Ctx, type Route } from '../http/router';
import { DEFAULT_SCOPE } from '../http/auth';
import type { App } from './app';

/**
 * POST /connect/token (Xero's identity service, client credentials grant: a custom connection) and
 * GET /connections (the tenants a token may use).
 */
function token(app: App, ctx: Ctx): Reply {
  const type = (ctx.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    return app.auth.tokenError(400, 'invalid_request', 'send the token request as application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(ctx.body.toString('utf8'));
  if (!app.auth.checkClient(ctx.req, form)) return app.auth.tokenError(400, 'invalid_client');
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') return app.auth.tokenError(400, 'unsupported_grant_type');
  const scope = form.get('scope')?.trim() || DEFAULT_SCOPE;
  return jsonReply(200, app.auth.issue(scope, ctx.now), { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

function connections(app: App, ctx: Ctx): Reply {
  return jsonReply(200, [
    {
      id: app.store.org.OrganisationID,
      authEventId: app.store.org.OrganisationID,
      tenantId: app.store.credentials.tenantId,
      tenantType: 'ORGANISATION',
      tenantName: app.store.org.Name,
      createdDateUtc: '2024-01-01T00:00:00.0000000',
      updatedDateUtc: ctx.now.toISOString(),
    },
  ]);
}

export function identityRoutes(app: App): Route[] {
  return [route('identity', '/connect/token', { POST: (c) => token(app, c) }), route('identity', '/connections', { GET: (c) => connections(app, c) }, { access: 'token' })];
}
