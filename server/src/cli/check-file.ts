import { readFileSync } from 'node:fs';
import { checkShare, mergeShares, resolveOptions, type EngineOptions, type ResolvedOptions, type ShareOfWork, type ShareResult } from '../engine';
import { formatFile, unreadable, type FileOutcome, type Format } from './report';
import { readDocumentBytes } from './read-document';

/** A file's text, or why it cannot be checked. */
export function readFile(file: string): { text: string; encoding: string } | { error: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') return { error: `${file} is a directory; pass the XML files in it (for example ${file.replace(/\/$/, '')}/*.xml)` };
    return { error: code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${code ?? String(err)})` };
  }
  const decoded = readDocumentBytes(bytes);
  return 'error' in decoded ? { error: `${file}: ${decoded.error}` } : decoded;
}

/** Options resolved once per run; only the source encoding differs between files. */
export class FileChecker {
  private readonly byEncoding = new Map<string, ResolvedOptions>();

  constructor(
    private readonly options: EngineOptions,
    readonly format: Format,
  ) {}

  optionsFor(encoding: string): ResolvedOptions {
    let o = this.byEncoding.get(encoding);
    if (!o) {
      o = resolveOptions({ ...this.options, sourceEncoding: encoding });
      this.byEncoding.set(encoding, o);
    }
    return o;
  }

  /** Reads, checks and formats one file on this thread. */
  check(file: string): FileOutcome {
    const read = readFile(file);
    if ('error' in read) return unreadable(this.format, file, read.error);
    const { xml: _tree, ...share } = checkShare(read.text, this.optionsFor(read.encoding));
    return formatFile(this.format, file, read.text, mergeShares([share]));
  }

  /** One share of a big file (the text is read by each thread that checks a share of it). */
  share(file: string, share: ShareOfWork): ShareResult | { error: string } {
    const read = readFile(file);
    if ('error' in read) return read;
    const { xml: _tree, ...result } = checkShare(read.text, this.optionsFor(read.encoding), undefined, share);
    return result;
  }
}
