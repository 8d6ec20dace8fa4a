import type { InvoiceCheckContext } from './invoice/check';
import { dialectFrom, dialectHas, invoiceKindAt, isResponseRoot, mayHoldInvoices, type Dialect, type DocumentKind } from './invoice/dialect';
import type { ResolvedOptions } from './invoice/options';
import type { ElementDecl } from './schema/model';
import { schemaFor } from './schema/registry';
import type { CloseListener, SkimRequest } from './xml/parse';
import type { XmlElement } from './xml/tree';

/** Lets an element's content go (its element stays in the wrapper's tree). */
function release(el: XmlElement): void {
  el.children = [];
  el.text = '';
}

/**
 * The parser's request to read an element's content as plain markup for a stream (MoreOptions.plain): an invoice's,
 * or that of an element no invoice can stand in (the listener then hears of nothing inside it, and needs to of nothing).
 */
export const STREAM_PLAIN: SkimRequest = (el, ancestors) => invoiceKindAt(el, ancestors) !== undefined || !mayHoldInvoices(el, ancestors);

/** An invoice the parser has just completed, with what checking it needs. */
export interface StreamedInvoice {
  element: XmlElement;
  kind: DocumentKind;
  /** Its declaration where it stands in the wrapper. */
  decl: ElementDecl;
  /** The names of the elements around it, outermost first (one shared array while they stay the same). */
  enclosing: string[];
  /** Read without a problem: none reported since the invoice before it, and its end tag is there. */
  clean: boolean;
  /** Its content was skimmed, not read (see MoreOptions.skim). */
  skimmed: boolean;
}

/**
 * The parser's close listener for a check that takes each invoice as soon as it is read: it tells the dialect from
 * the first invoice and its root, builds the check context once, finds each invoice's declaration, and hands the
 * invoice to `take`. After `take` the invoice's content is let go, except the first invoice's: the whole document's
 * dialect is told from it once the text is read (then releaseFirst()). Used by the one-shot check and by an open
 * document's full parse.
 */
export class InvoiceStream {
  /** The dialect the first invoice suggests (undefined until one is read). */
  dialect: Dialect | undefined;
  ctx: InvoiceCheckContext | undefined;
  private first: XmlElement | undefined;
  private problemsBefore = 0;
  private lastEnclosing: string[] = [];

  constructor(
    private readonly options: ResolvedOptions,
    private readonly schemasDirectory: string | undefined,
    private readonly take: (invoice: StreamedInvoice, ctx: InvoiceCheckContext) => void,
  ) {}

  /** The names of the ancestors, as one shared array while they stay the same (they do, invoice after invoice). */
  enclosing(ancestors: readonly XmlElement[]): string[] {
    const last = this.lastEnclosing;
    if (last.length !== ancestors.length || ancestors.some((a, i) => a.name !== last[i])) this.lastEnclosing = ancestors.map((a) => a.name);
    return this.lastEnclosing;
  }

  readonly plain = STREAM_PLAIN;

  readonly listener: CloseListener = (el, ancestors, problemsSoFar, skimmed = false) => {
    const kind = invoiceKindAt(el, ancestors);
    if (!kind) return;
    const clean = problemsSoFar === this.problemsBefore && !el.unclosed;
    this.problemsBefore = problemsSoFar;
    const root = ancestors[0] ?? el;
    this.dialect ??= dialectFrom(root, el);
    if (this.dialect === 'unknown' || !dialectHas(this.dialect, kind)) return;
    this.ctx ??= {
      dialect: this.dialect,
      inResponse: isResponseRoot(root),
      options: this.options,
      schema: schemaFor(this.dialect, this.schemasDirectory),
    };
    const enclosing = this.enclosing(ancestors);
    const decl = this.ctx.schema.declAt(enclosing, el.name);
    if (!decl) return;
    this.take({ element: el, kind, decl, enclosing, clean, skimmed }, this.ctx);
    if (this.first) release(el);
    else this.first = el;
  };

  /** Lets the first invoice's content go too (once the document's dialect is known to be the one it suggested). */
  releaseFirst(): void {
    if (this.first) release(this.first);
  }
}
