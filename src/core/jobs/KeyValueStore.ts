/**
 * Small persistent state behind an interface: vscode.Memento (globalState / workspaceState) fits it as is, so the
 * core keeps what a provider cannot list (Simulacrum sweep groupings, for example) without importing vscode.
 */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  // PromiseLike rather than vscode's global Thenable (the same shape), which the vscode-free core cannot name.
  update(key: string, value: unknown): PromiseLike<void>;
}

/** For tests and for running without VS Code. Values are copied through JSON, as a Memento stores them. */
export class InMemoryKeyValueStore implements KeyValueStore {
  private readonly values = new Map<string, string>();

  get<T>(key: string): T | undefined {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
  }

  keys(): readonly string[] {
    return [...this.values.keys()];
  }
}
