import * as vscode from 'vscode';

export interface AskInputOptions {
  readonly title: string;
  readonly prompt: string;
  readonly placeholder?: string;
  /** Prefilled text, selected so typing replaces it. */
  readonly value?: string;
  /** Accept an empty value (optional fields); otherwise Enter on an empty box does nothing. */
  readonly allowEmpty?: boolean;
  readonly password?: boolean;
  /** Multi-step sign-ins show "(1/2)" in the title. */
  readonly step?: number;
  readonly totalSteps?: number;
  validate(value: string): string | undefined;
  /** A note shown under a valid value (e.g. "4 variants = 4 GPUs"), refreshed as the user types. */
  describe?(value: string): string | undefined;
}

/**
 * An input box that stays open when focus moves (so the user can copy a key from a browser) and shows which step of
 * a multi-step sign-in they are on. Resolves undefined on Escape.
 */
export function askInput(options: AskInputOptions): Promise<string | undefined> {
  const input = vscode.window.createInputBox();
  Object.assign(input, {
    title: options.title,
    prompt: options.prompt,
    placeholder: options.placeholder,
    password: options.password ?? false,
    step: options.step,
    totalSteps: options.totalSteps,
    value: options.value ?? '',
    ignoreFocusOut: true,
  });
  return new Promise((resolve) => {
    const subscriptions = [
      input.onDidChangeValue((value) => (input.validationMessage = messageFor(value))),
      input.onDidAccept(() => {
        const empty = input.value.trim() === '';
        const problem = empty ? (options.allowEmpty ? undefined : (options.validate('') ?? ' ')) : options.validate(input.value);
        if (problem) {
          input.validationMessage = problem;
          return;
        }
        finish(input.value.trim());
      }),
      input.onDidHide(() => finish(undefined)),
    ];
    function messageFor(value: string): string | vscode.InputBoxValidationMessage | undefined {
      if (value === '') return undefined;
      const problem = options.validate(value);
      if (problem) return problem;
      const note = options.describe?.(value);
      return note ? { message: note, severity: vscode.InputBoxValidationSeverity.Info } : undefined;
    }
    input.validationMessage = messageFor(input.value);
    let done = false;
    function finish(value: string | undefined) {
      if (done) return;
      done = true;
      for (const subscription of subscriptions) subscription.dispose();
      input.dispose();
      resolve(value);
    }
    input.show();
  });
}
