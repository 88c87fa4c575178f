import type { IncomingMessage } from 'node:http';
import type { Response } from 'express';

/**
 * The sign-in cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
 * it), Secure with the `__Host-` prefix whenever people reach Holdspace over HTTPS.
 */
export class SignInCookie {
  readonly name: string;
  readonly #secure: boolean;

  constructor(secure: boolean) {
    this.#secure = secure;
    this.name = secure ? '__Host-holdspace-sign-in' : 'holdspace-sign-in';
  }

  read(request: IncomingMessage): string | null {
    for (const part of (request.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === this.name) {
        const value = part.slice(eq + 1).trim();
        return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
      }
    }
    return null;
  }

  set(res: Response, secret: string, expiresAt: Date): void {
    const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
    res.append('Set-Cookie', `${this.name}=${secret}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${this.#secure ? '; Secure' : ''}`);
  }

  clear(res: Response): void {
    res.append('Set-Cookie', `${this.name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${this.#secure ? '; Secure' : ''}`);
  }
}
