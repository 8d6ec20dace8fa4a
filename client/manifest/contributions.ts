// The extension's manifest contributions, as code: the single source `update-package-json.ts` writes into
// package.json and test/client/manifest.test.ts checks package.json against.
import { ClientCommands as C, type ClientCommandId } from '../src/command-ids';
import { APPLICATION_SETTINGS, DEFAULT_CLIENT_SETTINGS, RESTRICTED_SETTINGS, SETTINGS_SECTION } from '../src/settings';
import { DEFAULT_SERVER_SETTINGS } from '../../shared/src/settings';

const CATEGORY = 'Xero Invoice';
/** Commands that act on the invoice(s) of the active XML editor. */
const INVOICE_COMMANDS: ClientCommandId[] = [C.send, C.approve, C.approveAndEmail, C.email, C.markAsSent, C.void, C.deleteDraft, C.downloadPdf];

const TITLES: Record<ClientCommandId, string> = {
  [C.send]: 'Send to Xero (create or update)',
  [C.approve]: 'Approve',
  [C.approveAndEmail]: 'Approve & email to contact',
  [C.email]: 'Email to contact',
  [C.markAsSent]: 'Mark as sent',
  [C.void]: 'Void',
  [C.deleteDraft]: 'Delete draft',
  [C.downloadPdf]: 'Download PDF',
  [C.insertSnippet]: 'Insert snippet',
  [C.fetchInvoice]: 'Fetch invoice by number or ID',
  [C.fetchCreditNote]: 'Fetch credit note by number or ID',
  [C.pullModifiedSince]: 'Pull invoices modified since…',
  [C.wfmCurrent]: 'WorkflowMax: fetch current invoices',
  [C.wfmDraft]: 'WorkflowMax: fetch draft invoices',
  [C.wfmList]: 'WorkflowMax: list invoices between dates',
  [C.wfmGet]: 'WorkflowMax: fetch invoice by number',
  [C.wfmJob]: 'WorkflowMax: fetch invoices of a job',
  [C.wfmPayments]: 'WorkflowMax: fetch payments of an invoice',
  [C.startSandbox]: 'Start local sandbox',
  [C.stopSandbox]: 'Stop local sandbox',
  [C.setAccessToken]: 'Set access token',
  [C.connectClientCredentials]: 'Connect with client credentials',
  [C.setLegacyKeys]: 'Set legacy API 1.0 keys (apiKey, xeroKey)',
  [C.forgetCredentials]: 'Forget stored credentials',
  [C.refreshOrganisation]: 'Refresh organisation lists (accounts, tax types…) from the endpoint',
  [C.showLog]: 'Show log',
  [C.restartServer]: 'Restart language server',
  [C.connectionMenu]: 'Connection…',
  [C.signIn]: 'Sign in to Xero',
  [C.signOut]: 'Sign out of Xero',
  [C.pickOrganisation]: 'Pick organisation',
  [C.retryUnanswered]: 'Retry a request whose outcome is unknown…',
};

const ICONS: Partial<Record<ClientCommandId, string>> = {
  [C.send]: '$(cloud-upload)',
  [C.downloadPdf]: '$(file-pdf)',
  [C.startSandbox]: '$(server-process)',
  [C.stopSandbox]: '$(debug-stop)',
  [C.signIn]: '$(account)',
};

const XML_EDITOR = 'editorLangId == xml';

function configuration() {
  const s = DEFAULT_SERVER_SETTINGS;
  const c = DEFAULT_CLIENT_SETTINGS;
  const resource = 'resource' as const;
  const strings = { type: 'array', items: { type: 'string' } };
  const props: Record<string, Record<string, unknown>> = {
    'endpoint.baseUrl': {
      type: 'string',
      default: c.endpoint.baseUrl,
      format: 'uri',
      markdownDescription:
        'Base URL of the Xero API (or the local sandbox). `https://` is required except for this computer (`http://127.0.0.1:…`). Credentials are never kept in settings: use **Sign in to Xero** (Accounts menu), or **Set access token** / **Connect with client credentials**.',
    },
    'endpoint.apiFamily': {
      type: 'string',
      enum: ['2.0', '1.0', 'workflowmax-3.0'],
      enumDescriptions: ['Xero Accounting API 2.0', 'Legacy Xero API 1.0 (apiKey + xeroKey)', 'WorkflowMax 3.0 invoice.api (read-only)'],
      default: c.endpoint.apiFamily,
      description: 'Which API the endpoint speaks.',
    },
    'endpoint.tenantId': { type: 'string', default: c.endpoint.tenantId, description: 'The organisation (xero-tenant-id header) requests act on when not signed in; after Sign in to Xero, the organisation picked there is used.' },
    'signIn.clientId': {
      type: 'string',
      default: c.signIn.clientId,
      markdownDescription:
        "The client ID of **your own Xero app** (developer.xero.com → My Apps → New app → *Auth code with PKCE*, redirect URI `http://localhost:8765/callback`, or the port set below). Not a secret: a PKCE app has none. Used by **Sign in to Xero**.",
    },
    'signIn.redirectPort': {
      type: 'number',
      default: c.signIn.redirectPort,
      minimum: 1024,
      maximum: 65535,
      markdownDescription: 'The port of the redirect URI `http://localhost:PORT/callback` registered with your Xero app (Xero matches it exactly). Sign-in listens there on this computer while you sign in.',
    },
    'endpoint.requestTimeoutMs': { type: 'number', default: c.endpoint.requestTimeoutMs, minimum: 1000, maximum: 600000, description: 'How long one request may take before it is retried (milliseconds).' },
    'endpoint.maxResponseMB': {
      type: 'number',
      default: c.endpoint.maxResponseMB,
      minimum: 1,
      maximum: 4096,
      description: 'The largest answer read from the endpoint, in MB (a page of 100 invoices or a PDF is far smaller). A larger answer is refused and not read further.',
    },
    confirmDestructive: {
      type: 'boolean',
      default: c.confirmDestructive,
      // Application scope: a workspace (a cloned repository) cannot switch the confirmation off.
      scope: 'application',
      description: 'Ask before voiding or deleting an invoice, however it is reached (Void, Delete, or a Send, Approve or code lens whose effect is to void or delete). User settings only: a workspace cannot change it.',
    },
    'pdf.folder': {
      type: 'string',
      default: c.pdf.folder,
      markdownDescription: 'Folder downloaded PDFs are saved in (absolute, or relative to the workspace folder; `${workspaceFolder}` allowed). Empty: ask with a save dialog.',
    },
    'sandbox.startOnActivation': {
      type: 'boolean',
      default: c.sandbox.startOnActivation,
      markdownDescription: 'Start the local sandbox (and point the workspace at it) when the extension starts. Set by `npm start` for a first look without an account.',
    },
    region: { type: 'string', enum: ['NZ', 'AU', 'UK', 'US'], default: s.region, description: 'Tax-rate preset used to compute line taxes and totals.' },
    taxRates: {
      type: 'object',
      default: s.taxRates,
      additionalProperties: { type: 'string', pattern: '^\\d+(\\.\\d{1,4})?$' },
      markdownDescription: 'Tax rates in percent by TaxType, added to or overriding the region preset, e.g. `{ "TAX001": "9" }`.',
    },
    'organisation.accounts': { ...strings, default: s.organisation.accounts, description: "The organisation's account codes (when set, other codes are errors)." },
    'organisation.taxTypes': { ...strings, default: s.organisation.taxTypes, description: "The organisation's tax types (when set, other tax types are errors)." },
    'organisation.trackingCategories': {
      type: 'array',
      default: s.organisation.trackingCategories,
      items: { type: 'object', properties: { name: { type: 'string' }, options: strings }, required: ['name'] },
      description: "The organisation's tracking categories and their options.",
    },
    'organisation.currencies': { ...strings, default: s.organisation.currencies, description: "The organisation's enabled currencies." },
    'organisation.contacts': { ...strings, default: s.organisation.contacts, description: "The organisation's contact names (offered in completion)." },
    silencedCodes: { ...strings, uniqueItems: true, default: s.silencedCodes, markdownDescription: 'Diagnostic codes not to report, e.g. `required-line-items` (see the code shown with each problem).' },
    'validate.trigger': { type: 'string', enum: ['onType', 'onSave'], default: s.validate.trigger, description: 'Check documents as you type, or when they are saved.' },
    'validate.debounceMs': { type: 'number', default: s.validate.debounceMs, minimum: 0, maximum: 5000, description: 'For clients that get diagnostics pushed (not VS Code, which pulls them and gets them as soon as the check is done): the delay after the last change before they are pushed (milliseconds).' },
    maxDocumentSize: {
      type: 'number',
      default: s.maxDocumentSize,
      minimum: 1,
      description: 'Above this many characters a document gets diagnostics only (no hints, lenses, symbols or folding).',
    },
  };
  const properties: Record<string, Record<string, unknown>> = {};
  for (const [k, v] of Object.entries(props)) properties[`${SETTINGS_SECTION}.${k}`] = { scope: APPLICATION_SETTINGS.includes(k) ? 'application' : resource, ...v };
  properties[`${SETTINGS_SECTION}.trace.server`] = {
    scope: 'window',
    type: 'string',
    enum: ['off', 'messages', 'verbose'],
    default: 'off',
    description: 'Traces the messages between VS Code and the Xero invoice language server (in the log).',
  };
  return { title: 'Xero Invoice', properties };
}

/** The getting-started walkthrough: open a sample, start the sandbox (or connect to Xero), send. */
function walkthrough() {
  return {
    id: 'xeroInvoice.gettingStarted',
    title: 'Get started with Xero invoice XML',
    description: 'Check invoices as you type, try the commands against the local sandbox, then connect to Xero.',
    steps: [
      {
        id: 'openSample',
        title: 'Check an invoice as you type',
        description: 'Diagnostics, computed totals and quick fixes appear in any invoice XML.\n[Open the samples folder](command:workbench.action.files.openFolder)',
        media: { markdown: 'walkthrough/open-sample.md' },
      },
      {
        id: 'startSandbox',
        title: 'Start the local sandbox',
        description: `A local endpoint with the same rules, PDFs and an email outbox: no account needed.\n[Start local sandbox](command:${C.startSandbox})`,
        media: { markdown: 'walkthrough/sandbox.md' },
        completionEvents: [`onCommand:${C.startSandbox}`],
      },
      {
        id: 'signIn',
        title: 'Sign in to Xero',
        description: `Sign in in your browser with your own Xero app's client ID, then pick the organisation. Tokens stay in secret storage and renew themselves.\n[Sign in to Xero](command:${C.signIn})`,
        media: { markdown: 'walkthrough/sign-in.md' },
        completionEvents: [`onCommand:${C.signIn}`],
      },
      {
        id: 'connect',
        title: 'Other ways to connect',
        description: `A custom connection's client credentials, or an access token you already have, kept in secret storage.\n[Connect with client credentials](command:${C.connectClientCredentials})\n[Set access token](command:${C.setAccessToken})`,
        media: { markdown: 'walkthrough/connect.md' },
        completionEvents: [`onCommand:${C.connectClientCredentials}`, `onCommand:${C.setAccessToken}`],
      },
      {
        id: 'send',
        title: 'Send, approve and email',
        description: `Use the code lens above an invoice, or the palette.\n[Send the invoice at the cursor](command:${C.send})`,
        media: { markdown: 'walkthrough/send.md' },
        completionEvents: [`onCommand:${C.send}`],
      },
    ],
  };
}

export function contributions() {
  const ids = Object.values(C) as ClientCommandId[];
  const commands = ids.map((command) => ({ command, title: TITLES[command], category: CATEGORY, ...(ICONS[command] ? { icon: ICONS[command] } : {}) }));
  const commandPalette = ids.map((command) => ({
    command,
    when: command === C.insertSnippet ? 'false' : INVOICE_COMMANDS.includes(command) ? XML_EDITOR : command === C.stopSandbox ? 'xeroInvoice.sandboxRunning' : 'true',
  }));
  const context = INVOICE_COMMANDS.map((command, i) => ({ command, when: XML_EDITOR, group: `xeroInvoice@${i + 1}` }));
  return {
    activationEvents: ['onLanguage:xml', 'workspaceContains:**/*.invoice.xml', 'onAuthenticationRequest:xero', ...ids.filter((id) => id !== C.insertSnippet).map((id) => `onCommand:${id}`)],
    contributes: {
      authentication: [{ id: 'xero', label: 'Xero' }],
      commands,
      menus: { commandPalette, 'editor/context': context },
      configuration: configuration(),
      snippets: [{ language: 'xml', path: './snippets/xero-invoice.code-snippets' }],
      walkthroughs: [walkthrough()],
    },
    capabilities: {
      untrustedWorkspaces: {
        supported: 'limited',
        description: 'In an untrusted workspace, the endpoint settings and the PDF folder come from your user settings only.',
        restrictedConfigurations: RESTRICTED_SETTINGS,
      },
      virtualWorkspaces: { supported: false, description: 'The language server and the sandbox need files on disk.' },
    },
  };
}
