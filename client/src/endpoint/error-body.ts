import { XMLParser } from 'fast-xml-parser';
/** The useful part of an error answer: Xero's JSON and XML shapes (ApiException, the identity/401 problem shape, 1.0 and WorkflowMax errors), else a snippet. */
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
  if (trimmed.startsWith('<')) {
    const xml = readXmlError(trimmed);
    if (xml) return xml;
  }
  // An HTML error page (a proxy, a gateway) or XML of another shape: only its text, for the message.
  return { message: snippet(trimmed), details: [] };
}

function snippet(markup: string): string | undefined {
  const plain = markup
    .replace(/<\?[^>]*\?>|<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > 300 ? `${plain.slice(0, 297)}…` : plain || undefined;
}

const xmlParser = new XMLParser({
  ignoreAttributes: true,
  // Only the five predefined entities: an answer's DOCTYPE is never read, so nothing is expanded or fetched.
  processEntities: true,
  htmlEntities: false,
  parseTagValue: false,
  isArray: (name) => ['Error', 'DataContractBase', 'ValidationError', 'LineItem'].includes(name),
});

type XmlNode = Record<string, unknown>;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
const node = (v: unknown): XmlNode | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as XmlNode) : undefined);
const list = (v: unknown): XmlNode[] => (Array.isArray(v) ? v.map(node).filter((x): x is XmlNode => !!x) : []);

/** XML errors as the APIs write them: 2.0 ApiException, legacy 1.0 <Response><Errors>, WorkflowMax <ErrorDescription>. */
function readXmlError(body: string): ErrorBody | undefined {
  if (/<!DOCTYPE/i.test(body)) return undefined;
  let doc: XmlNode;
  try {
    doc = xmlParser.parse(body) as XmlNode;
  } catch {
    return undefined;
  }
  const api = node(doc.ApiException);
  if (api) {
    const details: string[] = [];
    const add = (el: XmlNode | undefined) => {
      for (const m of list(node(el?.ValidationErrors)?.ValidationError)) {
        const msg = text(m.Message);
        if (msg && !details.includes(msg)) details.push(msg);
      }
    };
    for (const el of list(node(api.Elements)?.DataContractBase)) {
      add(el);
      add(node(el.Contact));
      for (const line of list(node(el.LineItems)?.LineItem)) add(line);
    }
    return { type: text(api.Type), message: text(api.Message), details };
  }
  const response = node(doc.Response);
  if (!response) return undefined;
  const errors = list(node(response.Errors)?.Error)
    .map((e) => text(e.Description) ?? text(node(e.Exception)?.Message))
    .filter((m): m is string => !!m);
  if (errors.length > 0) return { type: text(response.Status), message: errors[0], details: errors.slice(1) };
  const description = text(response.ErrorDescription);
  if (description) return { type: text(response.Status), message: description, details: [] };
  return undefined;
}
