/**
 * The anonymity canary's search. Authors carry unique markers (their display name, and every id the
 * system gave them: participant id, socket ids); answers carry unique content markers. A record
 * links an answer to its author when it holds the answer's content marker together with a marker
 * of its author, and does not also name every member who could have written it (a room snapshot
 * naming the whole circle next to the released answers links nobody).
 */
export class MarkerBook {
  readonly #authorOf = new Map<string, string>();
  readonly #contents = new Map<string, { author: string; prompt: string }>();
  readonly #eligible = new Map<string, Set<string>>();
  #pattern: RegExp | null = null;

  static readonly contentPattern = /zq-content-[a-z0-9]+/g;

  /** A string that stands for this author wherever it appears. */
  author(author: string, marker: string): void {
    this.#authorOf.set(marker, author);
    this.#pattern = null;
  }

  content(marker: string, author: string, prompt: string): void {
    this.#contents.set(marker, { author, prompt });
  }

  eligible(prompt: string, authors: Iterable<string>): void {
    this.#eligible.set(prompt, new Set(authors));
  }

  get contents(): ReadonlyMap<string, { author: string; prompt: string }> {
    return this.#contents;
  }

  /** Content markers and authors named in one text. */
  scan(text: string): { contents: string[]; authors: Set<string> } {
    this.#pattern ??= new RegExp([...this.#authorOf.keys()].sort((a, b) => b.length - a.length).map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    const contents = [...new Set(text.match(MarkerBook.contentPattern) ?? [])];
    const authors = new Set<string>();
    if (contents.length > 0 && this.#authorOf.size > 0) for (const marker of text.match(this.#pattern) ?? []) authors.add(this.#authorOf.get(marker)!);
    return { contents, authors };
  }

  /** The links one record makes: each content marker whose author it names without naming everyone who could have written it. */
  links(text: string): { content: string; author: string }[] {
    const { contents, authors } = this.scan(text);
    const found: { content: string; author: string }[] = [];
    for (const content of contents) {
      const known = this.#contents.get(content);
      if (!known || !authors.has(known.author)) continue;
      const everyone = this.#eligible.get(known.prompt) ?? new Set<string>();
      const namesAll = [...everyone].every((author) => authors.has(author));
      if (!namesAll) found.push({ content, author: known.author });
    }
    return found;
  }
}

export interface Finding {
  source: string;
  record: string;
  content: string;
  author: string;
}

/** Search records one by one. */
export function searchRecords(book: MarkerBook, source: string, records: Iterable<string>): Finding[] {
  const findings: Finding[] = [];
  for (const record of records) for (const link of book.links(record)) findings.push({ source, record: record.slice(0, 400), ...link });
  return findings;
}

/**
 * Search a log as an operator reads it: each line, and each run of `window` neighbouring lines, since
 * a packet printed next to the line that says whose connection it came from links them just the same.
 */
export function searchLog(book: MarkerBook, source: string, text: string, window = 6): Finding[] {
  const lines = text.split('\n');
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (let start = 0; start < lines.length; start++) {
    if (!lines[start]!.includes('zq-content-')) continue;
    for (let from = Math.max(0, start - window + 1); from <= start; from++) {
      const record = lines.slice(from, from + window).join('\n');
      for (const link of book.links(record)) {
        const key = `${link.content}:${link.author}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push({ source, record: record.slice(0, 600), ...link });
      }
    }
  }
  return findings;
}
