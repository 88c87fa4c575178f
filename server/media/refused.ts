import type { ErrorCode } from '../../shared/protocol/errors.js';

/** A media request the SFU will not carry out; the signalling answers it with this code. */
export class Refused extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, detail?: string) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'Refused';
    this.code = code;
    this.detail = detail;
  }
}
