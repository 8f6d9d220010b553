// Shared by the integration support files: asserts the user-facing shape of a refusal (status, code, the server's
// words, request id, the service's name, next step) and that no secret leaks into the message.
import assert from 'node:assert/strict';
import { ApiError } from '../../../src/core/http/ApiError';

export interface Expected {
  status: number;
  code: string;
  /** Each must match the user-facing message (the server's words plus the client's next step). */
  message?: RegExp[];
}

export interface Service {
  /** The name the message must carry. */
  serviceName: string;
  /** What must not appear in the message, and how the assertion names it. */
  secret: RegExp;
  secretMessage: string;
}

/** A `refusal(call, expected)` for one service: runs `call`, requires an ApiError with this status and code, and checks what the user would read. */
export function refusalFor(service: Service): (call: Promise<unknown>, expected: Expected) => Promise<ApiError> {
  return async (call, expected) => {
    const error = await call.then(
      (value) => assert.fail(`expected HTTP ${expected.status} ${expected.code}, got ${JSON.stringify(value)?.slice(0, 300)}`),
      (e: unknown) => e,
    );
    assert.ok(ApiError.is(error), `not an ApiError: ${String(error)}`);
    assert.equal(error.status, expected.status, error.message);
    assert.equal(error.code, expected.code, error.message);
    assert.match(error.requestId ?? '', /^req_[0-9a-f]{24}$/, 'the request id reaches the user');
    assert.ok(error.message.includes(`Request id: ${error.requestId}.`), error.message);
    assert.ok(error.message.includes(service.serviceName), `the service is named: ${error.message}`);
    for (const pattern of expected.message ?? []) assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, service.secret, service.secretMessage);
    return error;
  };
}
