import { closeSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** The full output of every step goes here; the console only gets short progress lines. */
export class BuildLog {
  #fd;

  constructor(path) {
    mkdirSync(dirname(path), { recursive: true });
    this.path = path;
    this.#fd = openSync(path, 'w');
  }

  get fd() {
    return this.#fd;
  }

  write(text) {
    writeSync(this.#fd, text);
  }

  step(title) {
    this.write(`\n==> ${title} (${new Date().toISOString()})\n`);
  }

  lastLines(count) {
    const lines = readFileSync(this.path, 'utf8').trimEnd().split('\n');
    return lines.slice(-count).join('\n');
  }

  close() {
    closeSync(this.#fd);
  }
}

/** A failure the user can act on: what went wrong and the command or change that fixes it. */
export class WorkerInstallError extends Error {
  constructor(message, fix) {
    super(message);
    this.fix = fix;
  }
}
