// The storage helpers a running sandbox hands to provider modules (ctx.storage) and to tests (sandbox.storage).
import type { AzureBlobHelpers } from './AzureBlobHelpers';
import type { S3Helpers } from './S3Helpers';

export interface StorageHelpers {
  azure: AzureBlobHelpers;
  s3: S3Helpers;
}
