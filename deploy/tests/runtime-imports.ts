import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Follows the imports a compiled entry point executes (type-only imports are erased by swc and left out), through
 * relative paths and `@leadline/*` libs, and names every npm package it loads. An image installs only
 * `dependencies` (`npm ci --omit=dev`): a package found here that is only a devDependency crashes the container
 * at start-up, which no Docker-less test would otherwise see.
 */
const ROOT = path.resolve(__dirname, '../..');

export interface RuntimeImports {
  /** Source files reached from the entry points. */
  files: Set<string>;
  /** npm package name -> the first file that loads it. */
  packages: Map<string, string>;
}

export function runtimeImports(entryPoints: string[]): RuntimeImports {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const todo = entryPoints.map((entry) => path.join(ROOT, entry));
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    if (!file.endsWith('.ts')) continue; // JSON data: loads nothing
    for (const specifier of valueImportsOf(file)) {
      if (specifier.startsWith('.') || specifier.startsWith('@leadline/')) {
        todo.push(resolveSource(file, specifier));
      } else if (!specifier.startsWith('node:')) {
        const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
        if (!packages.has(name)) packages.set(name, path.relative(ROOT, file));
      }
    }
  }
  return { files, packages };
}

function valueImportsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !isTypeOnlyImport(node)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && isLoader(node.expression) && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import 'x'`: loaded for its effects
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return !clause.name && bindings !== undefined && ts.isNamedImports(bindings)
    && bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

function isLoader(expression: ts.Expression): boolean {
  return expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(expression) && expression.text === 'require');
}

function resolveSource(from: string, specifier: string): string {
  const base = specifier.startsWith('@leadline/')
    ? path.join(ROOT, 'libs', specifier.slice('@leadline/'.length), 'src')
    : path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(ROOT, from)} imports "${specifier}", which resolves to no source file`);
}
