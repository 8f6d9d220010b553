/**
 * The guide's most common authentication mistake, both ways round: "JWTs always start with `eyJ` and contain two
 * dots; your `client_secret` has no fixed prefix and is a single high-entropy ~64-character string with no dots."
 */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** True for three base64url segments (a JWT); leading/trailing whitespace and a `Bearer ` prefix are ignored. */
export function looksLikeJwt(value: string): boolean {
  const text = value.trim().replace(/^bearer\s+/i, '');
  return JWT_SHAPE.test(text) && text.split('.')[0].length >= 4;
}

/**
 * Why a value pasted as the client secret cannot be one, in words for the user; undefined when it could be one.
 * Pure and never echoes the value.
 */
export function explainSecretMistake(secret: string): string | undefined {
  const text = secret.trim();
  if (text === '') return 'The client secret is empty. Paste the client_secret returned by the credential claim.';
  if (/^bearer\s+/i.test(text) || looksLikeJwt(text)) {
    return (
      'This looks like an access token (a JWT: it starts with "eyJ" and has two dots), not the client secret. ' +
      'Sim Cloud mints access tokens itself; paste the client_secret you received when you claimed your credentials ' +
      '(a single ~64-character string with no dots). If you have lost it, rotate the credential or contact support@simulacra-data.com with your client id.'
    );
  }
  if (/\s/.test(text)) return 'The client secret contains spaces or line breaks; paste it again as one string.';
  return undefined;
}
