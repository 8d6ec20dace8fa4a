import type { Services } from '../services';
import type { SandboxInfo } from '../sandbox-controller';
import { showError, showInfo } from '../ui';
import { EMPTY_LISTS, refreshOrganisation } from './organisation';

/**
 * Start local sandbox: starts it (or finds it running), points this window at it and signs in to it through its
 * authorize and token endpoints. Returns where it listens (never its credentials).
 */
export async function startSandboxCommand(s: Services): Promise<SandboxInfo | undefined> {
  try {
    const already = s.sandbox.info;
    const info = await s.sandbox.start();
    await refreshOrganisation(s, true).catch((e) => s.log.channel.warn(`Organisation lists not loaded from the sandbox: ${String(e)}`));
    const scope = s.connections.windowOverride ? 'this window (your settings are unchanged)' : 'this workspace';
    showInfo(`${already ? 'Local sandbox already running' : 'Local sandbox running'} at ${info.url}; ${scope} is signed in and sends to it. Emails land in ${info.outboxDir}.`);
    return info;
  } catch (e) {
    showError(e, 'The local sandbox could not be started');
    return undefined;
  }
}

export async function stopSandboxCommand(s: Services): Promise<boolean> {
  try {
    const stopped = await s.sandbox.stop();
    // The sandbox organisation's accounts and tax types no longer apply.
    if (s.lc.started) await s.lc.sendOrganisation(EMPTY_LISTS);
    await s.statusBar.update();
    showInfo(stopped ? 'Local sandbox stopped; the endpoint settings are back to what they were.' : 'The local sandbox was not running.');
    return stopped;
  } catch (e) {
    showError(e);
    return false;
  }
}
