import type { InvoiceInfo } from '../../../shared/src/protocol';
import { EndpointError } from '../endpoint/errors';
import { UnknownOutcomeError, type WireWrite } from '../endpoint/idempotency';
import type { DocumentOutcome } from '../endpoint/xero-v2';
import { invoiceName } from '../targets';
import type { ProgressReporter } from '../ui';

export interface EachRun {
  outcomes: Map<number, DocumentOutcome>;
  notSent: number;
  cancelled: boolean;
  stoppedBy?: EndpointError;
  /** The write whose outcome is unknown (stoppedBy is then an UnknownOutcomeError), by its invoice's index. */
  unknown?: { write: WireWrite; keys: number[]; shape: 'update' };
}

/**
 * One request per invoice, in order. Cancelling stops before the next one; a failure that would fail the rest
 * too (auth, endpoint unreachable) stops the run, keeping what was done so it can still be written back.
 */
export async function eachInvoice(invoices: InvoiceInfo[], p: ProgressReporter, verb: string, work: (inv: InvoiceInfo) => Promise<DocumentOutcome>): Promise<EachRun> {
  const run: EachRun = { outcomes: new Map(), notSent: 0, cancelled: false };
  for (let i = 0; i < invoices.length; i++) {
    const inv = invoices[i];
    if (p.signal.aborted) {
      run.cancelled = true;
      run.notSent = invoices.length - i;
      break;
    }
    p.step(`${verb} ${invoiceName(inv)}${invoices.length > 1 ? ` (${i + 1} of ${invoices.length})` : ''}`);
    try {
      run.outcomes.set(inv.index, await work(inv));
    } catch (e) {
      if (e instanceof UnknownOutcomeError) {
        // Kept for "Retry the same request"; nothing more is sent until it is settled.
        run.stoppedBy = e;
        run.unknown = { write: e.write, keys: [inv.index], shape: 'update' };
        run.cancelled = e.kind === 'cancelled';
        run.notSent = invoices.length - i - 1;
        break;
      }
      if (!(e instanceof EndpointError) || run.outcomes.size === 0) throw e;
      if (e.kind === 'cancelled') run.cancelled = true;
      else run.stoppedBy = e;
      run.notSent = invoices.length - i;
      break;
    }
  }
  return run;
}
