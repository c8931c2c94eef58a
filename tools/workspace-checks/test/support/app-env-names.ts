import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * The environment variables an app reads, taken from its config source (apps/<app>/src/config.ts and
 * the modules it imports relatively), parsed with the TypeScript compiler rather than imported: a tool
 * may not import app code (Nx boundaries), and a regex over source text breaks on the first refactor.
 *
 * A variable counts when it is the UPPER_SNAKE key of an object given to `z.object` (or
 * `z.strictObject`/`z.looseObject`), directly, through a const in the same file or spread into it; or
 * the string value of an `env:` property (a table of settings); or `env.NAME` / `env['NAME']`.
 */
export function appEnvNames(configFile: string): ReadonlySet<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const appSrc = dirname(configFile);
  const queue = [configFile];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    for (const name of envNamesIn(source)) names.add(name);
    for (const imported of relativeImports(source)) {
      // Only the app's own sources: a lib's schemas are not the app's environment.
      if (!relative(appSrc, imported).startsWith('..')) queue.push(imported);
    }
  }
  return names;
}

// Two characters at least: a one-letter key is a data field (Polygon's `T`), never a variable.
const ENV_NAME = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
const OBJECT_SCHEMAS = new Set(['object', 'strictObject', 'looseObject']);

function envNamesIn(source: ts.SourceFile): string[] {
  const consts = new Map<string, ts.Expression>();
  const collectConsts = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined) {
      consts.set(node.name.text, node.initializer);
    }
    ts.forEachChild(node, collectConsts);
  };
  collectConsts(source);

  const found: string[] = [];
  const shapeKeys = (expr: ts.Expression, depth: number): void => {
    const inner = unwrap(expr);
    if (ts.isIdentifier(inner)) {
      const init = consts.get(inner.text);
      if (init !== undefined && depth < 5) shapeKeys(init, depth + 1);
      return;
    }
    if (!ts.isObjectLiteralExpression(inner)) return;
    for (const prop of inner.properties) {
      if (ts.isSpreadAssignment(prop)) shapeKeys(prop.expression, depth + 1);
      else if (prop.name !== undefined) {
        const key = propertyName(prop.name);
        if (key !== null) found.push(key);
      }
    }
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const callee = node.expression;
      const [shape] = node.arguments;
      if (ts.isIdentifier(callee.expression) && callee.expression.text === 'z' && OBJECT_SCHEMAS.has(callee.name.text) && shape !== undefined) {
        shapeKeys(shape, 0);
      }
    }
    if (ts.isPropertyAssignment(node) && propertyName(node.name) === 'env' && ts.isStringLiteralLike(node.initializer)) {
      found.push(node.initializer.text);
    }
    if (ts.isPropertyAccessExpression(node) && isEnvObject(node.expression)) found.push(node.name.text);
    if (ts.isElementAccessExpression(node) && isEnvObject(node.expression) && ts.isStringLiteralLike(node.argumentExpression)) {
      found.push(node.argumentExpression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.filter((name) => name.length >= 2 && ENV_NAME.test(name));
}

function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

function propertyName(name: ts.PropertyName): string | null {
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name)) return name.text;
  return null;
}

/** `env` (the parameter config modules take) or `process.env`. */
function isEnvObject(expr: ts.Expression): boolean {
  if (ts.isIdentifier(expr)) return expr.text === 'env';
  return ts.isPropertyAccessExpression(expr) && expr.name.text === 'env' && ts.isIdentifier(expr.expression) && expr.expression.text === 'process';
}

/** Files of `import ... from './x.js'` (and re-exports), as the .ts sources they compile from. */
function relativeImports(source: ts.SourceFile): string[] {
  const files: string[] = [];
  for (const statement of source.statements) {
    const specifier =
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier !== undefined &&
      ts.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : null;
    if (specifier === null || !specifier.startsWith('.')) continue;
    const base = resolve(dirname(source.fileName), specifier);
    const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, resolve(base, 'index.ts')];
    const file = candidates.find((c) => c.endsWith('.ts') && existsSync(c));
    if (file !== undefined) files.push(file);
  }
  return files;
}
