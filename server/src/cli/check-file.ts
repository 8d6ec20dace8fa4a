import { readFileSync } from 'node:fs';
import { checkSlice, checkStreaming, resolveOptions, settle, type CheckedInvoice, type DocumentKind, type EngineOptions, type InvoiceSlice, type ResolvedOptions } from '../engine';
import { ByteLineIndex, byteView } from './byte-view';
import { formatFile, positionsIn, unreadable, type FileOutcome, type Format, type PieceWriter } from './report';
import { readDocumentBytes, type ReadDocument } from './read-document';

/** A file's text, or why it cannot be checked. `view`: see readDocumentBytes. */
export function readFile(file: string, view = false): ReadDocument | { error: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { error: `${file} is a directory; pass the XML files in it (for example ${file.replace(/\/$/, '')}/*.xml)` };
    return { error: code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${code ?? String(err)})` };
  }
  const decoded = readDocumentBytes(bytes, view);
  return 'error' in decoded ? { error: `${file}: ${decoded.error}` } : decoded;
}

/** Options resolved once per run; only the source encoding differs between files. */
export class FileChecker {
  private readonly byEncoding = new Map<string, ResolvedOptions>();

  constructor(
    private readonly options: EngineOptions,
    readonly format: Format,
    /** Whether a UTF-8 file that is not all ASCII is checked from its bytes (ReadDocument.bytes): faster, the same report. */
    private readonly view = true,
  ) {}

  optionsFor(encoding: string): ResolvedOptions {
    let o = this.byEncoding.get(encoding);
    if (!o) {
      o = resolveOptions({ ...this.options, sourceEncoding: encoding });
      this.byEncoding.set(encoding, o);
    }
    return o;
  }

  /** Reads, checks and formats one file on this thread; its report goes to `write`, or is kept in the outcome. */
  check(file: string, write?: PieceWriter): FileOutcome {
    const read = readFile(file, this.view);
    if ('error' in read) return unreadable(this.format, file, read.error, write);
    const options = this.optionsFor(read.encoding);
    const { bytes } = read;
    if (bytes) {
      const { xml: _tree, readAgain, ...shot } = checkStreaming(read.text, options, { view: byteView(bytes), firstForbidden: read.firstForbidden });
      if (!readAgain) return formatFile(this.format, file, () => new ByteLineIndex(bytes, read.text), settle(shot), write);
      const text = bytes.toString('utf8');
      const { xml: _again, ...decoded } = checkStreaming(text, options, { firstForbidden: -1 });
      return formatFile(this.format, file, positionsIn(text), settle(decoded), write);
    }
    const { xml: _tree, ...shot } = checkStreaming(read.text, options, { firstForbidden: read.firstForbidden });
    return formatFile(this.format, file, positionsIn(read.text), settle(shot), write);
  }

  /** Invoices of a big file, each from its own text, checked on this thread for the thread that read the file. */
  slices(encoding: string, batch: SliceBatch): CheckedInvoice[] {
    const options = this.optionsFor(encoding);
    const { text, base, enclosing, dialect, inResponse } = batch;
    return batch.starts.map((start, i) => {
      const end = batch.ends[i];
      return checkSlice(text.slice(start - base, end - base), { start, end, kind: batch.kinds[i], enclosing, dialect, inResponse }, options);
    });
  }
}

/**
 * Invoices of a big file handed to a worker: consecutive ones, sharing where they stand, with the text that runs
 * from the first one's start to the last one's end (plain data: it crosses worker threads).
 */
export interface SliceBatch {
  text: string;
  /** The text's offset in the file. */
  base: number;
  starts: number[];
  ends: number[];
  kinds: DocumentKind[];
  enclosing: string[];
  dialect: InvoiceSlice['dialect'];
  inResponse: boolean;
}
