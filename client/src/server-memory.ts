import type { InvoiceInfo, ServerInvoiceResult } from '../../shared/src/protocol';
import type { OrganisationSettings } from '../../shared/src/settings';

/** One endpoint verdict (per-invoice errors and warnings) the server was given, with the invoice it judged. */
export interface RememberedVerdict {
  index: number;
  /** The invoice element when the verdict was given: a verdict is only restored on an invoice not edited since. */
  elementXml: string;
  errors: string[];
  warnings: string[];
}

/**
 * What the client gave the language server that the server cannot get back by itself after a restart: the
 * organisation lists fetched from the endpoint and the endpoint's verdicts on open documents. (Documents and
 * their settings the server gets back on its own: didOpen and workspace/configuration.)
 */
export class ServerMemory {
  private lists: Partial<OrganisationSettings> = {};
  private readonly verdicts = new Map<string, RememberedVerdict[]>();

  organisation(lists: Partial<OrganisationSettings>): void {
    this.lists = { ...this.lists, ...lists };
  }

  /** The merged lists, or undefined when nothing (or only emptiness) was ever sent. */
  organisationLists(): Partial<OrganisationSettings> | undefined {
    return Object.values(this.lists).some((v) => Array.isArray(v) && v.length > 0) ? this.lists : undefined;
  }

  /** Records what an applied `applyServerResults` left on the server; `invoices` are the document's at that version. */
  applied(uri: string, results: ServerInvoiceResult[], invoices: InvoiceInfo[] | undefined): void {
    let list = this.verdicts.get(uri) ?? [];
    for (const r of results) {
      list = list.filter((v) => v.index !== r.index);
      const errors = r.errors ?? [];
      const warnings = r.warnings ?? [];
      const inv = invoices?.[r.index];
      if (inv && errors.length + warnings.length > 0) list.push({ index: r.index, elementXml: inv.elementXml, errors, warnings });
    }
    if (list.length) this.verdicts.set(uri, list);
    else this.verdicts.delete(uri);
  }

  /** The verdicts still true of a document's invoices now (the others are dropped, as the server drops them). */
  stillValid(uri: string, invoices: InvoiceInfo[]): RememberedVerdict[] {
    const kept = (this.verdicts.get(uri) ?? []).filter((v) => invoices[v.index]?.elementXml === v.elementXml);
    if (kept.length) this.verdicts.set(uri, kept);
    else this.verdicts.delete(uri);
    return kept;
  }

  hasVerdicts(uri: string): boolean {
    return this.verdicts.has(uri);
  }

  forget(uri: string): void {
    this.verdicts.delete(uri);
  }
}
