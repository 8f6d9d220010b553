/**
 * Server text made safe for a terminal: escape sequences and other control characters are dropped (a job's log or
 * error text must not move the cursor, retitle the terminal or plant an OSC 8 link), and line breaks inside one line
 * become the terminal's `\r\n`.
 */
export function terminalText(text: string): string {
  return (
    text
      .replace(/\r?\n/g, '\u2028')
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
      .replace(/\u2028/g, '\r\n')
  );
}
