import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import type { ErrorCode } from '../../shared/protocol/errors.js';

/** A refusal an HTTP route answers with its code (and status, see api.ts). */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
  ) {
    super(code);
  }
}

export const describeIssue = (issue: z.core.$ZodIssue | undefined) => (issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : undefined);

export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError('INVALID', describeIssue(parsed.error.issues[0]));
  return parsed.data;
}

export const asyncRoute = (handler: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) =>
  handler(req, res).catch(next);
