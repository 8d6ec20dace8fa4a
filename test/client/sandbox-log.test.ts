// The sandbox prints its token, client secret and legacy keys after its ready line. The extension registers
// them as secrets from the ready line, before any further line reaches the log: none of them is ever logged.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { redact, registerSecret } from '../../client/src/endpoint/redact';
import { startSandboxProcess } from '../../client/src/sandbox-process';
import { ROOT } from './support';

describe('sandbox output in the log', () => {
  it('its credentials are registered before its first output line, and no logged line carries one', { timeout: 20_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xero-sandbox-log-'));
    const events: string[] = [];
    const logged: string[] = [];
    let secrets: string[] = [];
    let bannerDone!: () => void;
    const banner = new Promise<void>((r) => (bannerDone = r));
    const proc = await startSandboxProcess({
      script: join(ROOT, 'dist', 'sandbox.js'),
      dataDir,
      // What the extension's sandbox controller does with them.
      onReady: (r) => {
        events.push('ready');
        secrets = [r.token, r.clientSecret, r.clientId];
        secrets.forEach(registerSecret);
      },
      onOutput: (line) => {
        events.push('line');
        logged.push(redact(`[sandbox] ${line}`));
        if (line.includes('Outbox:')) bannerDone();
      },
    });
    try {
      // The banner follows the ready line at once; its last line names the outbox folder.
      await banner;
      assert.equal(events[0], 'ready');
      assert.ok(logged.some((l) => l.includes('Client secret:')), 'the lines that name credentials were logged');
      for (const line of logged) for (const s of secrets) assert.ok(!line.includes(s), `a credential in: ${line}`);
      assert.ok(logged.some((l) => /apiKey=\*\*\*/.test(l)), 'the legacy keys in the 1.0 URL are hidden');
    } finally {
      await proc.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
