import type { Store } from '../store/store';
import { numberOf, type DocKind } from './records';

/**
 * Auto-numbers from the organisation's invoice settings (INV-0001, CN-0001, …): one more than the highest number
 * with the prefix, so numbers typed by hand are skipped and nothing has to be stored to survive a restart.
 */
export class Numbering {
  private highest = new Map<DocKind, number>();

  constructor(private readonly store: Store) {}

  private prefix(kind: DocKind): string {
    return kind === 'invoice' ? this.store.org.InvoicePrefix : this.store.org.CreditNotePrefix;
  }

  private pattern(kind: DocKind): RegExp {
    return new RegExp(`^${this.prefix(kind).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\d+)$`, 'i');
  }

  private current(kind: DocKind): number {
    let n = this.highest.get(kind);
    if (n === undefined) {
      n = 0;
      const re = this.pattern(kind);
      for (const d of this.store.documents.values()) {
        if (d.kind !== kind) continue;
        const m = re.exec(numberOf(d) ?? '');
        if (m) n = Math.max(n, Number(m[1]));
      }
      this.highest.set(kind, n);
    }
    return n;
  }

  /** The number the next auto-numbered document gets (not taken until `taken` is called). */
  peek(kind: DocKind): string {
    return `${this.prefix(kind)}${String(this.current(kind) + 1).padStart(4, '0')}`;
  }

  /** Records a number as used, whether auto-numbered or typed. */
  taken(kind: DocKind, number: string | undefined): void {
    const m = this.pattern(kind).exec(number ?? '');
    if (m) this.highest.set(kind, Math.max(this.current(kind), Number(m[1])));
  }
}
