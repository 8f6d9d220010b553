// Server-given file names a download must survive (SECURITY.md check 13), shared by the unit and integration suites.

/** SECURITY.md check 13, plus the variants each entry stands for. */
export const HOSTILE_NAMES = [
  '../x',
  '..\\x',
  '/etc/passwd',
  '\\\\server\\share\\x',
  'C:..\\x',
  'C:\\Windows\\x',
  'c:x',
  'a:b?c*.txt',
  'a/../../x',
  'a\\..\\..\\x',
  '..',
  '.. ',
  '. .',
  '...',
  '..\u202e',
  '\u202e../x',
  'ok/\u0000../x',
  '',
  '\u0000',
  '.vscode/settings.json',
  '.git/hooks/pre-commit',
  'x/.GIT./config',
];

export const ODD_BUT_ALLOWED = ['CON', 'con.txt', 'NUL', 'COM1', 'LPT9.log', 'a\u0000b.txt', 'report\u202etxt.exe', 'name. . .', 'x'.repeat(300), 'ü'.repeat(300), `${'y'.repeat(300)}.ckpt`, 'ab:c?d*.txt', 'checkpoints/model.pt', './a//b/./c.txt', 'tab\there.txt'];
