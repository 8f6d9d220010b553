/**
 * Terminal escape sequences a worker prints for colour or cursor moves: CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or
 * `ESC \`, hyperlinks among them), the C1 single-byte CSI, and two-byte `ESC x` sequences. In a document they are noise,
 * and an OSC 8 hyperlink could hide where a link points.
 */
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]|\u001b/g;
/** Every other control character but the tab; a CR or LF inside one line would make two lines of one (and shift every offset). */
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/**
 * One provider log line as it may be written down: escapes stripped, control characters blanked, then redacted. It stays
 * one line whatever it held, so the n-th line on disk is always the n-th line of the provider's log.
 */
export function cleanLogLine(line: string, redact: (text: string) => string): string {
  return redact(line.replace(ESCAPES, '').replace(CONTROLS, ' ')).replace(/[\r\n]/g, ' ');
}
