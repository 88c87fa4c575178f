import { describe, expect, it } from 'vitest';
import { passkeyProblem } from '../../server/accounts/passkey-origin.js';

describe('the address passkeys are made at', () => {
  it.each([
    ['https://holdspace.example.org', null],
    ['http://localhost:8080', null],
    ['http://holdspace.localhost:8080', null],
    ['https://127.0.0.1:8443', /IP address \(127\.0\.0\.1\)/],
    ['http://127.0.0.1:8080', /localhost:8080/],
    ['https://[::1]:8443', /IP address \(::1\)/],
    ['http://holdspace.example.org', /HTTPS .*PUBLIC_URL=https:\/\/holdspace\.example\.org/],
  ])('%s', (url, problem) => {
    const found = passkeyProblem(url);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });
});
