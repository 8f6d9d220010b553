// The commands the composition root registers before the features are loaded (src/extension.ts): VS Code knows the
// id from the start, and the real handler arrives here once src/features.ts has run. vscode-only on purpose: this
// module is evaluated with the root, so it must not import any provider code.

export type CommandHandler = (...args: unknown[]) => unknown;

export class LazyCommandTable {
  private readonly proxied = new Set<string>();
  private readonly handlers = new Map<string, CommandHandler>();

  /** Marks `id` as registered with VS Code by a proxy; returns the undo for deactivation. */
  addProxy(id: string): () => void {
    this.proxied.add(id);
    return () => {
      this.proxied.delete(id);
      this.handlers.delete(id);
    };
  }

  hasProxy(id: string): boolean {
    return this.proxied.has(id);
  }

  /** Stores the real handler behind a proxy (registering `id` again with VS Code would throw "already exists"). */
  fill(id: string, handler: CommandHandler): () => void {
    if (this.handlers.has(id)) throw new Error(`Sim Cloud registered the command ${id} twice; this is a bug in the extension.`);
    this.handlers.set(id, handler);
    return () => {
      if (this.handlers.get(id) === handler) this.handlers.delete(id);
    };
  }

  handlerFor(id: string): CommandHandler | undefined {
    return this.handlers.get(id);
  }
}

/** The one table the extension uses: registerCommand consults it. */
export const lazyCommands = new LazyCommandTable();
