import type { SecretStore } from '../../src/core/accounts/CredentialRepository';

/** SecretStorage in memory: what a test stored is what the code under test reads. */
export class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}
