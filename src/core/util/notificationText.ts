/**
 * Notifications render `[text](target)` as a link and run `command:` targets when clicked (VS Code's notification
 * viewer allows commands). Job ids, server error texts and file names come from the provider, so before any of them
 * goes into a notification the link syntax is broken up: a space between `]` and `(` keeps every character readable
 * and makes the pair no longer a link.
 */
export function notificationText(text: string): string {
  return text.replace(/\]\s*\(/g, '] (');
}
