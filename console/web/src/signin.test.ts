import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, SigningError } from './api';
import { signInProblem } from './SignIn';

describe('signInProblem', () => {
  it('says the browser could not sign, not that the server is unreachable', () => {
    const m = signInProblem(new SigningError(new TypeError("Cannot read properties of undefined (reading 'digest')")));
    expect(m).toMatch(/^This browser could not sign the request \(nothing was sent\)/);
    expect(m).toContain('digest');
    expect(m).not.toMatch(/reach the server/);
  });
  it('says the server refused the credentials when it did', () => {
    const m = signInProblem(new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400));
    expect(m).toBe('The server refused these credentials: UnrecognizedClientException: The security token included in the request is invalid.');
  });
  it('tells another error answer from a refusal', () => {
    const m = signInProblem(new ApiError('InternalFailure', 'boom', 500));
    expect(m).toBe('The server answered with an error (HTTP 500): InternalFailure: boom');
  });
  it('says the server could not be reached only when no answer came', () => {
    expect(signInProblem(new NetworkError(new TypeError('Failed to fetch')))).toBe('Could not reach the server: no answer from the server: Failed to fetch');
  });
});
