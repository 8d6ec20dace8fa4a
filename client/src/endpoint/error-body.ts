/** The useful part of an error answer: Xero's JSON shapes (ApiException, the identity/401 problem shape), else a snippet. */
export interface ErrorBody {
  type?: string;
  message?: string;
  details: string[];
}

interface Messages {
  Message?: string;
}
interface ErrorElement {
  ValidationErrors?: Messages[];
  Contact?: { ValidationErrors?: Messages[] };
  LineItems?: { ValidationErrors?: Messages[] }[];
}

/** Every ValidationErrors message of an echoed element, nested Contact and LineItems included, without repeats. */
export function validationMessages(el: ErrorElement | undefined): string[] {
  if (!el) return [];
  const out: string[] = [];
  const add = (list: Messages[] | undefined) => {
    for (const m of list ?? []) if (m.Message && !out.includes(m.Message)) out.push(m.Message);
  };
  add(el.ValidationErrors);
  add(el.Contact?.ValidationErrors);
  for (const line of el.LineItems ?? []) add(line.ValidationErrors);
  return out;
}

export function readErrorBody(text: string): ErrorBody {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const j = JSON.parse(trimmed) as Record<string, unknown>;
      const details: string[] = [];
      for (const el of (j.Elements as ErrorElement[] | undefined) ?? []) for (const m of validationMessages(el)) if (!details.includes(m)) details.push(m);
      const type = typeof j.Type === 'string' ? j.Type : typeof j.Title === 'string' ? j.Title : typeof j.error === 'string' ? j.error : undefined;
      const message =
        typeof j.Detail === 'string'
          ? j.Detail
          : typeof j.Message === 'string'
            ? j.Message
            : typeof j.error_description === 'string'
              ? j.error_description
              : typeof j.error === 'string'
                ? j.error
                : undefined;
      return { type, message, details };
    } catch {
      // not JSON after all: fall through to the snippet
    }
  }
  if (!trimmed) return { details: [] };
  // An XML or HTML error page (legacy 1.0, WorkflowMax, proxies): only its text, for the message. Nothing is read
  // from its structure — documents are the language server's business.
  const plain = trimmed
    .replace(/<\?[^>]*\?>|<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { message: plain.length > 300 ? `${plain.slice(0, 297)}…` : plain || undefined, details: [] };
}
