// A guard so English cannot slip past localisation: string literals in places a user reads them (VS Code messages,
// progress titles, quick inputs, tree items, status bar items, webview text built through webview/common/dom.ts)
// must come from l10n.t. Log lines, ids and values stay literal; they are never in these positions.
// A line that is deliberately not translated says why with `// l10n-exempt: <reason>` on it or the line above.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const root = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(path.join(dir, entry.name)) : /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path.join(dir, entry.name)] : [],
  );
}

/** Calls whose every string argument (and the listed option properties) a user reads. */
const MESSAGE_CALLS = new Set(['showInformationMessage', 'showWarningMessage', 'showErrorMessage']);
/** Calls whose option object carries user-visible text. */
const OPTION_CALLS = new Set(['withProgress', 'showInputBox', 'showQuickPick', 'showOpenDialog', 'showSaveDialog', 'report', 'createStatusBarItem', 'showWorkspaceFolderPick']);
const OPTION_PROPERTIES = new Set(['title', 'prompt', 'placeHolder', 'placeholder', 'message', 'detail', 'openLabel', 'saveLabel', 'validationMessage', 'text', 'tooltip']);
/** `x.<property> = 'English'` on quick picks, input boxes, status bar items, tree items, pages. */
const ASSIGNED_PROPERTIES = new Set(['title', 'placeholder', 'prompt', 'tooltip', 'validationMessage', 'textContent', 'ariaLabel', 'accessibilityInformation']);
const CONSTRUCTORS = new Set(['TreeItem']);
/** dom.ts helpers: el(tag, options, ...children), append(parent, ...children), replaceChildren(parent, ...children). */
const DOM_CHILDREN: Record<string, number> = { el: 2, append: 1, replaceChildren: 1 };
const DOM_OPTION_PROPERTIES = new Set(['text']);
const DOM_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'aria-description', 'aria-roledescription', 'label']);

/** Text with a word in it once codicons (`$(sync~spin)`) and interpolations are left out. */
function hasWords(text: string): boolean {
  return /[A-Za-z]{2,}/.test(text.replace(/\$\([\w~-]+\)/g, ''));
}

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return expression.name.text;
  return undefined;
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

interface Finding {
  file: string;
  line: number;
  text: string;
  where: string;
}

/** The English literals an expression yields directly (through ?:, ??, ||, + and parentheses, not through calls). */
function englishLiterals(expression: ts.Expression): ts.Node[] {
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return hasWords(expression.text) ? [expression] : [];
  if (ts.isTemplateExpression(expression)) return hasWords([expression.head.text, ...expression.templateSpans.map((span) => span.literal.text)].join(' ')) ? [expression] : [];
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression)) return englishLiterals(expression.expression);
  if (ts.isConditionalExpression(expression)) return [...englishLiterals(expression.whenTrue), ...englishLiterals(expression.whenFalse)];
  if (ts.isBinaryExpression(expression) && [ts.SyntaxKind.PlusToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(expression.operatorToken.kind)) {
    return [...englishLiterals(expression.left), ...englishLiterals(expression.right)];
  }
  return [];
}

function exempt(source: ts.SourceFile, node: ts.Node): boolean {
  const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
  const lines = source.text.split('\n');
  return /l10n-exempt:/.test(lines[line] ?? '') || /l10n-exempt:/.test(lines[line - 1] ?? '');
}

/** `page`: browser code under webview/, where the dom.ts helpers put text on screen. */
function scan(file: string, code: string, page: boolean): Finding[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true);
  const findings: Finding[] = [];
  const flag = (expression: ts.Expression | undefined, where: string) => {
    if (!expression) return;
    for (const node of englishLiterals(expression)) {
      if (exempt(source, node)) continue;
      findings.push({ file: path.relative(root, file), line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, text: node.getText(source).slice(0, 80), where });
    }
  };
  const flagOptions = (expression: ts.Expression | undefined, names: Set<string>, where: string) => {
    if (!expression || !ts.isObjectLiteralExpression(expression)) return;
    for (const property of expression.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const name = propertyName(property.name);
      if (name && names.has(name)) flag(property.initializer, `${where} ${name}`);
      if (name === 'attrs' && ts.isObjectLiteralExpression(property.initializer) && where === 'el') {
        for (const attribute of property.initializer.properties) {
          const attributeName = ts.isPropertyAssignment(attribute) ? propertyName(attribute.name) : undefined;
          if (attributeName && DOM_ATTRIBUTES.has(attributeName)) flag((attribute as ts.PropertyAssignment).initializer, `el attribute ${attributeName}`);
        }
      }
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const name = calleeName(node.expression);
      if (name && MESSAGE_CALLS.has(name)) {
        for (const argument of node.arguments) {
          flag(argument, name);
          flagOptions(argument, new Set(['detail']), name);
        }
      }
      if (name && OPTION_CALLS.has(name)) for (const argument of node.arguments) flagOptions(argument, OPTION_PROPERTIES, name);
      if (name && Object.hasOwn(DOM_CHILDREN, name) && page) {
        node.arguments.slice(DOM_CHILDREN[name]).forEach((argument) => flag(argument, `${name} child`));
        if (name === 'el') flagOptions(node.arguments[1], DOM_OPTION_PROPERTIES, 'el');
      }
    }
    if (ts.isNewExpression(node)) {
      const name = calleeName(node.expression);
      if (name && CONSTRUCTORS.has(name)) flag(node.arguments?.[0], `new ${name}`);
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
      const name = node.left.name.text;
      if (ASSIGNED_PROPERTIES.has(name) || (name === 'text' && /statusBar|item|status/i.test(node.left.expression.getText(source)))) flag(node.right, `.${name} =`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

function userVisibleEnglish(files: string[]): Finding[] {
  const pages = path.join(root, 'webview') + path.sep;
  return files.flatMap((file) => scan(file, readFileSync(file, 'utf8'), file.startsWith(pages)));
}

describe('user-visible strings', () => {
  it('go through l10n.t in src/ and webview/ (no English literal handed to a message, quick input, tree item, status bar or page)', () => {
    const findings = userVisibleEnglish([...sources(path.join(root, 'src')), ...sources(path.join(root, 'webview'))]);
    assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.where}: ${f.text}`), [], 'wrap these in vscode.l10n.t (src) or l10n.t (webview), or mark them `// l10n-exempt: <why>`');
  });

  it('catches the positions it claims to (a check that can fail)', () => {
    const host = `
      void vscode.window.showInformationMessage('Job submitted');
      void vscode.window.showErrorMessage(vscode.l10n.t('Failed: {0}', reason), 'Retry');
      void vscode.window.withProgress({ location, title: \`Downloading \${name}\` }, work);
      const item = new vscode.TreeItem('Active jobs');
      statusBarItem.text = '$(cloud) Credits';
      pick.placeholder = ok ? vscode.l10n.t('Pick one') : 'Pick a job';
      log.info('English on purpose: the log is for support');
      void vscode.window.showWarningMessage('Not shown to anyone'); // l10n-exempt: the test says why
      const fine = new vscode.TreeItem(job.id);
      status.text = '$(sync~spin)';`;
    const page = `
      el('p', { text: 'Loading…' });
      el('canvas', { attrs: { role: 'img', 'aria-label': 'Best reward' } });
      el('div', {}, 'Run ', el('code', { text: view.id }), l10n.t('ok'));
      el('span', { text: l10n.t('Cost') });`;
    const findings = [...scan('host.ts', host, false), ...scan('page.ts', page, true)];
    assert.deepEqual(findings.map((f) => f.where).sort(), ['.placeholder =', '.text =', 'el attribute aria-label', 'el child', 'el text', 'new TreeItem', 'showErrorMessage', 'showInformationMessage', 'withProgress title'].sort());
  });
});
