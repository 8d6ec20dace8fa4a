/** What a webview (the preview, the PDF viewer) does when its page has not said it listens in time. */
export type PageRecovery = 'reload' | 'renew' | 'give-up';

/** A page that has not said it listens this long after it was loaded (or shown again) is recovered. */
export const PAGE_READY_MS = 5_000;

/**
 * How the extension's webviews recover from a page that does not load. A blank webview comes two ways in a
 * browser-hosted VS Code (code-server): its page failed, which loading the HTML again mends, or the frame that hosts
 * every page of the webview failed, which only a new panel (a new frame) mends. So the HTML is loaded again first,
 * then the panel is made anew, a few times each, then the log says the page did not load. A page that answers
 * starts the count again (a webview hidden and shown later gets every attempt again).
 */
export class PageWatch {
  private reloads = 0;
  private renewals = 0;

  constructor(
    private readonly reloadsPerPanel = 1,
    private readonly maxRenewals = 2,
  ) {}

  /** The page said it listens, or the user opened the webview anew: every attempt again. */
  reset(): void {
    this.reloads = 0;
    this.renewals = 0;
  }

  /** The page did not answer in time: what to do about it. */
  timedOut(): PageRecovery {
    if (this.reloads < this.reloadsPerPanel) {
      this.reloads++;
      return 'reload';
    }
    if (this.renewals < this.maxRenewals) {
      this.renewals++;
      this.reloads = 0;
      return 'renew';
    }
    return 'give-up';
  }

  /**
   * The page did not answer in time: says so with `warn` (`page` names it, `anew` what is opened anew) and loads it
   * again, opens it anew, or gives up.
   */
  recover(page: string, anew: string, warn: (message: string) => void, act: { reload(): void; renew(): void }): void {
    const recovery = this.timedOut();
    const late = `${page} did not answer within ${PAGE_READY_MS / 1000} s`;
    if (recovery === 'give-up') {
      warn(`${page} did not load: no answer from it within ${PAGE_READY_MS / 1000} s, ${this.attempts} times.`);
    } else if (recovery === 'reload') {
      warn(`${late}: loading it again.`);
      act.reload();
    } else {
      warn(`${late}: opening ${anew} anew.`);
      act.renew();
    }
  }

  /** Times the page was loaded in all (each panel's first load, the reloads, the new panels' loads), for the log. */
  get attempts(): number {
    return 1 + this.renewals * (this.reloadsPerPanel + 1) + this.reloads;
  }
}
