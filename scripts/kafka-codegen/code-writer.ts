/** Builds indented source text line by line. */
export class CodeWriter {
  private readonly lines: string[] = [];
  private depth = 0;

  line(text = ''): this {
    this.lines.push(text === '' ? '' : '  '.repeat(this.depth) + text);
    return this;
  }

  /** Writes `head {`, the body one level deeper, then `}` (+ `tail`). */
  block(head: string, body: () => void, tail = ''): this {
    this.line(`${head} {`);
    this.depth++;
    body();
    this.depth--;
    this.line(`}${tail}`);
    return this;
  }

  /** Writes `head [`, the body one level deeper, then `]` (+ `tail`). */
  list(head: string, body: () => void, tail = ''): this {
    this.line(`${head} [`);
    this.depth++;
    body();
    this.depth--;
    this.line(`]${tail}`);
    return this;
  }

  /** Opens a block (`head {`) to be continued with `middle` and closed with `close`. */
  open(head: string): this {
    this.line(`${head} {`);
    this.depth++;
    return this;
  }

  /** A line such as `} else {` between two blocks. */
  middle(text: string): this {
    this.depth--;
    this.line(text);
    this.depth++;
    return this;
  }

  close(tail = ''): this {
    this.depth--;
    return this.line(`}${tail}`);
  }

  /** Emits `body` under `if (cond)`, or directly when cond is 'true', or not at all when 'false'. */
  when(cond: string, body: () => void): this {
    if (cond === 'false') return this;
    if (cond === 'true') body();
    else this.block(`if (${cond})`, body);
    return this;
  }

  /** JSDoc comment, wrapped at ~100 columns. */
  doc(text: string): this {
    const words = text.replace(/\*\//g, '* /').split(/\s+/).filter(Boolean);
    if (words.length === 0) return this;
    const rows: string[] = [];
    let cur = '';
    for (const word of words) {
      if (cur && cur.length + word.length + 1 > 96) {
        rows.push(cur);
        cur = word;
      } else cur = cur ? `${cur} ${word}` : word;
    }
    if (cur) rows.push(cur);
    if (rows.length === 1) return this.line(`/** ${rows[0]} */`);
    this.line('/**');
    for (const r of rows) this.line(` * ${r}`);
    return this.line(' */');
  }

  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}
