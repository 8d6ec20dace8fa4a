import type { XeroSession } from '../auth/session';
import type { Services } from '../services';
import { showError, showInfo } from '../ui';
import { refreshOrganisation } from './organisation';

function origin(s: Services): string {
  return s.auth.origin();
}

/**
 * Sign in to Xero: the browser flow of the authentication provider, for the endpoint of the active document;
 * the same session then appears in the Accounts menu. Returns the picked organisation (never a token).
 */
export async function signInCommand(s: Services): Promise<{ tenantId?: string; tenantName?: string } | undefined> {
  try {
    // The provider's own flow, as the Accounts menu runs it (createSession); the Accounts menu then lists the session.
    const stored: XeroSession = await s.auth.signIn(origin(s), 'browser');
    await refreshOrganisation(s, true).catch((e: unknown) => s.log.channel.warn(`Organisation lists not loaded: ${String(e)}`));
    showInfo(stored.tenantName ? `Signed in to Xero: ${stored.tenantName}.` : 'Signed in to Xero. Pick the organisation with "Pick organisation".');
    return { tenantId: stored.tenantId, tenantName: stored.tenantName };
  } catch (e) {
    showError(e, 'Sign-in failed');
    return undefined;
  }
}

/** Sign out of Xero: revokes the refresh token at the identity server and forgets the session. */
export async function signOutCommand(s: Services): Promise<boolean> {
  try {
    const o = origin(s);
    const done = await s.auth.signOut(o);
    showInfo(done ? `Signed out of ${new URL(o).host}.` : `Not signed in to ${new URL(o).host}.`);
    return done;
  } catch (e) {
    showError(e, 'Sign-out failed');
    return false;
  }
}

/** Pick organisation: another of the organisations the sign-in allowed (GET /connections), by name. */
export async function pickOrganisationCommand(s: Services): Promise<string | undefined> {
  try {
    const next = await s.auth.pickOrganisation(origin(s));
    if (!next) return undefined;
    await refreshOrganisation(s, true).catch((e: unknown) => s.log.channel.warn(`Organisation lists not loaded: ${String(e)}`));
    showInfo(`Invoices now go to ${next.tenantName}.`);
    return next.tenantId;
  } catch (e) {
    showError(e, 'Picking the organisation failed');
    return undefined;
  }
}
