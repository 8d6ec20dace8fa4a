import { esc } from './html';

export interface ConsentView {
  orgName: string;
  clientId: string;
  scopes: string[];
  redirectHost: string;
  ticket: string;
}

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are',
  profile: 'See your name',
  email: 'See your email address',
  offline_access: 'Keep access while you are away (refresh tokens)',
  'accounting.transactions': 'View and manage your invoices, credit notes and payments',
  'accounting.transactions.read': 'View your invoices, credit notes and payments',
  'accounting.contacts': 'View and manage your contacts',
  'accounting.contacts.read': 'View your contacts',
  'accounting.settings': 'View and manage your organisation settings',
  'accounting.settings.read': 'View your organisation settings',
  'accounting.attachments': 'View and manage your attachments',
  'accounting.attachments.read': 'View your attachments',
};

/** The sandbox's stand-in for Xero's "Allow access" page: the app, what it asks for, the organisation, Allow / Deny. */
export function consentPage(v: ConsentView): string {
  const scopes = v.scopes.map((s) => `<li>${esc(SCOPE_TEXT[s] ?? s)} <code>${esc(s)}</code></li>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Allow access to ${esc(v.orgName)} — Xero sandbox</title>
<style>
body { font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 34rem; color: #222; }
.org { padding: .6rem .8rem; border: 1px solid #ccc; border-radius: 4px; }
button { font-size: 1rem; padding: .5rem 1.4rem; margin-right: .6rem; }
#allow { background: #13b5ea; color: #fff; border: 0; border-radius: 4px; }
small { color: #666; }
</style>
</head>
<body>
<h1>Allow access</h1>
<p>The app <code>${esc(v.clientId)}</code> wants to:</p>
<ul>
${scopes}
</ul>
<form method="post" action="/identity/connect/authorize">
<input type="hidden" name="ticket" value="${esc(v.ticket)}">
<p>Organisations</p>
<label class="org"><input type="checkbox" name="organisation" checked disabled> ${esc(v.orgName)}</label>
<p><small>After you choose, your browser returns to ${esc(v.redirectHost)}.</small></p>
<p><button id="allow" type="submit" name="decision" value="allow">Allow access</button><button id="deny" type="submit" name="decision" value="deny">Cancel</button></p>
</form>
</body>
</html>
`;
}

/** An authorize request the sandbox cannot send back to the app (unknown client, bad redirect URI): said on the page (RFC 6749 §4.1.2.1). */
export function authorizeErrorPage(message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in error — Xero sandbox</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3rem auto; max-width: 34rem">
<h1>This sign-in cannot continue</h1>
<p id="error">${esc(message)}</p>
</body></html>
`;
}
