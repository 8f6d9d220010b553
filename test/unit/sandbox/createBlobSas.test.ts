import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createBlobSas, normalizePermissions } from '../../../sandbox/storage/createBlobSas';
import { AZURITE_ACCOUNT_KEY } from '../../../sandbox/config/devCredentials';

// Azurite's own signer, as an independent oracle for the string-to-sign (the integration test then proves Azurite
// accepts the URL over HTTP).
type AzuriteSigner = (values: Record<string, unknown>, resource: string, account: string, key: Buffer) => [string, string];
const azurite = createRequire(__filename)('azurite/dist/src/blob/authentication/IBlobSASSignatureValues') as { generateBlobSASSignature: AzuriteSigner };

describe('createBlobSas', () => {
  const expiresOn = new Date(Date.UTC(2026, 5, 1, 8, 30, 0));

  it('signs exactly what Azurite recomputes for a blob SAS', () => {
    const sas = new URLSearchParams(createBlobSas({ accountName: 'devstoreaccount1', accountKey: AZURITE_ACCOUNT_KEY, container: 'c1', blob: 'dir/project.zip', permissions: 'wc', expiresOn }));
    const [expected] = azurite.generateBlobSASSignature(
      { version: sas.get('sv'), permissions: 'cw', expiryTime: '2026-06-01T08:30:00Z', containerName: 'c1', blobName: 'dir/project.zip', signedResource: 'b', identifier: '', snapshot: '' },
      'b',
      'devstoreaccount1',
      Buffer.from(AZURITE_ACCOUNT_KEY, 'base64'),
    );
    assert.equal(sas.get('sig'), expected);
    assert.equal(sas.get('sp'), 'cw');
    assert.equal(sas.get('se'), '2026-06-01T08:30:00Z');
    assert.equal(sas.get('sr'), 'b');
  });

  it('orders permissions as the spec requires and rejects unknown ones', () => {
    assert.equal(normalizePermissions('wdrc'), 'rcwd');
    assert.throws(() => normalizePermissions('rz'), RangeError);
  });
});
