// The stable problem codes this emulation answers with, served at GET /errors and /errors/{code} ("Every problem
// response carries a stable code like simio_unknown_condition_column with a doc URL at /errors/{code} covering cause,
// fix, retryability, and support guidance"). simio_unknown_condition_column is the guide's own; the rest are sandbox
// names in the same style, listed in docs/sandbox.md.

export interface ErrorEntry {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly cause: string;
  readonly fix: string;
  readonly retryable: boolean;
}

const entry = (code: string, status: number, title: string, cause: string, fix: string, retryable = false): ErrorEntry => ({ code, status, title, cause, fix, retryable });

export const ERROR_CATALOG: readonly ErrorEntry[] = [
  entry('simio_unauthorized', 401, 'Unauthorized', 'No Authorization: Bearer header was sent.', 'Mint an Auth0 M2M token and send it as a Bearer token.'),
  entry('simio_invalid_token', 401, 'Invalid token', 'The bearer token is not a JWT from the token server, or its signature, audience or issuer is wrong.', 'Mint a fresh token with audience https://api.simulacra-data.com; send the JWT (eyJ…), not the client_secret.'),
  entry('simio_token_expired', 401, 'Token expired', 'The bearer token is past its exp.', 'Mint a fresh token.'),
  entry('simio_invalid_request', 400, 'Invalid request', 'The request body or a field is missing or malformed.', 'Fix the named field and resend.'),
  entry('simio_empty_body', 400, 'Request body is empty', 'A JSON endpoint received no body.', 'Set Content-Type: application/json and send a JSON object.'),
  entry('simio_invalid_signup', 400, 'Invalid signup', 'company_name or contact_email is missing or malformed.', 'Send a company_name and a valid contact_email.'),
  entry('simio_signup_not_found', 404, 'Signup request not found', 'No signup request has this request_id.', 'Use the request_id returned by POST /v1/signup verbatim.'),
  entry('simio_claim_token_not_found', 404, 'Claim token not found', 'The credential_claim_token is unknown.', 'Use the token from GET /v1/signup/{request_id} or POST /v1/credential-rotations.'),
  entry('simio_claim_token_already_used', 410, 'Claim token already used', 'The credential_claim_token was already redeemed; claims are one-time-use.', 'Use the client_secret stored at the first claim, or rotate the secret.'),
  entry('simio_claim_token_expired', 410, 'Claim token expired', 'The credential_claim_token expired before it was redeemed.', 'Rotate the secret (or contact support) for a new claim token.'),
  entry('simio_rotation_rate_limited', 429, 'Too many rotations', 'At most three credential rotations per 24 hours per client.', 'Wait for Retry-After, or reuse the Idempotency-Key of the rotation you lost.', true),
  entry('simio_idempotency_key_reused', 409, 'Idempotency-Key reused with a different request', 'This Idempotency-Key was already used for a different request body.', 'Send the original body, or use a new key for new work.'),
  entry('simio_invalid_idempotency_key', 400, 'Invalid Idempotency-Key', 'The Idempotency-Key is empty, too long, or not printable ASCII.', 'Use 1-255 printable ASCII characters, e.g. a UUID.'),
  entry('simio_multipart_required', 400, 'Multipart form-data required', 'POST /v1/datasets takes multipart/form-data.', 'Send the seed as the seed_file part of a multipart/form-data body.'),
  entry('simio_missing_seed_file', 400, 'Missing seed_file', 'The multipart body has no seed_file part.', 'Attach the seed file as seed_file.'),
  entry('simio_unsupported_seed_format', 415, 'Unsupported seed format', 'The seed file is not CSV or Parquet (the sandbox reads only these).', 'Upload a .csv or .parquet file.'),
  entry('simio_invalid_seed_file', 400, 'Invalid seed file', 'The seed file could not be read, or has too few rows.', 'Check the file and upload it again.'),
  entry('simio_invalid_wait_seconds', 400, 'Invalid wait_seconds', 'wait_seconds is not an integer from 0 to 60.', 'Send an integer from 0 to 60.'),
  entry('simio_payload_too_large', 413, 'Seed file too large', 'The upload exceeds the sandbox limit.', 'Upload a smaller seed.'),
  entry('simio_dataset_not_found', 404, 'Dataset not found', 'No dataset with this id is visible to your tenant (never created, another tenant, or deleted).', 'Check dataset_id (a JSON string, not an array).'),
  entry('simio_dataset_expired', 404, 'Dataset expired', 'The dataset passed its 24-hour retention window.', 'Upload the seed again.'),
  entry('simio_dataset_not_ready', 409, 'Dataset not ready', 'The dataset is still training, or training failed.', 'Poll /v1/jobs/{job_id} until completed.', true),
  entry('simio_training_failed', 422, 'Training failed', 'Cleaning left no usable columns or rows.', 'Upload a seed with at least one varying column and enough complete rows.'),
  entry('simio_generation_not_found', 404, 'Generation not found', 'No generation with this id is visible to your tenant.', 'Check generation_id.'),
  entry('simio_generation_expired', 404, 'Generation expired', 'The generation passed its 24-hour retention window.', 'Generate again.'),
  entry('simio_job_not_found', 404, 'Job not found', 'No job with this id is visible to your tenant.', 'Check job_id.'),
  entry('simio_artifact_not_ready', 409, 'Artifact not ready', 'The generation has not finished.', 'Poll GET /v1/generations/{generation_id} until ready or partial.', true),
  entry('simio_artifact_url_expired', 403, 'Artifact URL expired', 'Managed download URLs expire 15 minutes after they are issued.', 'GET /v1/generations/{generation_id} again for a fresh artifact_url.'),
  entry('simio_invalid_conditions', 400, 'Invalid conditions', 'conditions is not an object of categorical and numeric maps.', 'Build conditions from GET /v1/datasets/{id}/schema.'),
  entry('simio_unknown_condition_column', 400, 'Unknown condition column', 'A condition names a column that is not in the cleaned schema (cleaning may rename or drop columns).', 'GET /v1/datasets/{dataset_id}/schema and rebuild conditions from the cleaned names.'),
  entry('simio_unknown_condition_level', 400, 'Unknown condition level', 'A categorical condition names a level that is not in the cleaned schema (rare levels are dropped).', 'Use only levels listed in the schema.'),
  entry('simio_condition_type_mismatch', 400, 'Condition type mismatch', 'A categorical condition names a numeric column, or a numeric condition a categorical one.', 'Check the column type in the schema.'),
  entry('simio_invalid_condition_share', 400, 'Invalid target share', 'A target share is not a number from 0 to 1, or the shares of one column add up to more than 1.', 'Send desired outcome shares (0.70 = 70%) that sum to at most 1 per column.'),
  entry('simio_numeric_range_incomplete', 400, 'Numeric range incomplete', 'A numeric condition lacks min or max ("Numeric conditions require both min and max").', 'Send both min and max.'),
  entry('simio_invalid_numeric_range', 400, 'Invalid numeric range', 'min or max is not a finite number, or min > max.', 'Send finite numbers with min <= max.'),
  entry('simio_invalid_row_count', 400, 'Invalid row_count', 'row_count is not an integer from 1 to the per-request cap (100,000).', 'Send a row_count within the cap.'),
  entry('simio_unsupported_output_format', 400, 'Unsupported output format', 'output_format is not csv or parquet (the sandbox does not write Arrow).', 'Use csv or parquet.'),
  entry('simio_row_quota_exceeded', 402, 'Row quota exceeded', 'The request exceeds your company\'s active row subscription or request-cap.', 'Request fewer rows or contact sales to raise the quota.'),
  entry('simio_error_code_not_found', 404, 'Unknown error code', 'No catalog entry has this code.', 'See /errors for the list.'),
  entry('simio_not_found', 404, 'Not Found', 'No such route.', 'Check the path against /openapi.json.'),
  entry('simio_rate_limited', 429, 'Too Many Requests', 'Too many requests.', 'Retry after Retry-After with the same Idempotency-Key.', true),
  entry('simio_internal_error', 500, 'Internal Server Error', 'An unexpected error.', 'Retry with the same Idempotency-Key; contact support with X-Request-Id if it persists.', true),
];

export const ERRORS_BY_CODE = new Map(ERROR_CATALOG.map((e) => [e.code, e]));
