/**
 * Incremental parsing of a streamed `{"steps": [ {...}, {...} ]}` answer: yields each step object
 * as soon as its closing brace arrives, without waiting for (or trusting) the rest.
 */

/** Feeds text chunks in; returns the raw JSON text of each step object completed by this chunk. */
export class StepObjectScanner {
  private text = '';
  private position = 0;
  private stack: string[] = [];
  private inString = false;
  private escaped = false;
  private stepStart = -1;

  /** Adds a chunk and returns the step objects it completed, in order. */
  push(chunk: string): string[] {
    this.text += chunk;
    const done: string[] = [];
    for (; this.position < this.text.length; this.position++) {
      const ch = this.text[this.position]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (ch === '"') {
        if (this.stack.length) this.inString = true;
      } else if (ch === '{' || ch === '[') {
        // A step is an object directly inside the array held by the root object.
        if (ch === '{' && this.stack.length === 2 && this.stack[0] === '{' && this.stack[1] === '[')
          this.stepStart = this.position;
        this.stack.push(ch);
      } else if (ch === '}' || ch === ']') {
        this.stack.pop();
        if (ch === '}' && this.stepStart >= 0 && this.stack.length === 2) {
          done.push(this.text.slice(this.stepStart, this.position + 1));
          this.stepStart = -1;
        }
      }
    }
    return done;
  }

  /** Everything received so far. */
  get received(): string {
    return this.text;
  }
}

/** The JSON document inside a reply that may wrap it in a ``` fence or a sentence. */
export function extractJsonDocument(content: string): string {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(content);
  const body = fenced ? fenced[1]! : content;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  return start >= 0 && end > start ? body.slice(start, end + 1) : body.trim();
}
