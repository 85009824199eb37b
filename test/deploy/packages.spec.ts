/**
 * package.json against the code: every package the code imports is declared (the service's own
 * code in `dependencies`), every runtime dependency is imported, and every install script in the
 * tree has been reviewed in `allowScripts` (npm runs only the approved ones once it enforces it).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

/**
 * Bare package names a file imports or requires; with `typeOnly` false, `import type` is left out
 * (the compiler needs those packages, the running service does not).
 */
function importsOf(file: string, typeOnly = true): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:(import\s+type\s[^;]*?)?from\s+|import\s*\(\s*|require\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)]
    .filter((m) => typeOnly || m[1] === undefined)
    .map((m) => m[2]);
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:') && !s.startsWith('@kundportal/'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]))
    .filter((name) => !builtinModules.includes(name));
}

const SERVICE = ['apps', 'libs'].flatMap((dir) => sources(join(ROOT, dir))).filter((f) => !/\.(spec|int-spec|e2e-spec)\.ts$|\/testing\//.test(f));
const TESTS = ['apps', 'libs', 'test', 'bench'].flatMap((dir) => sources(join(ROOT, dir)));
const serviceImports = new Set(SERVICE.flatMap((file) => importsOf(file, false)));
const serviceTypeImports = new Set(SERVICE.flatMap((file) => importsOf(file)));
const allImports = new Set([...SERVICE, ...TESTS].flatMap((file) => importsOf(file)));
/** Needed without an import of their own: Nest's peer dependency, and the static files of the web UI. */
const NOT_IMPORTED = ['rxjs', '@fastify/static'];

describe('package.json', () => {
  it("declares every package the service's code imports among its dependencies", () => {
    const undeclared = [...serviceImports].filter((name) => !(name in pkg.dependencies)).sort();
    expect(undeclared).toEqual([]);
  });

  it('declares every package the code, the tests and the benchmark import (types included)', () => {
    const undeclared = [...allImports].filter((name) => !(name in pkg.dependencies) && !(name in pkg.devDependencies)).sort();
    expect(undeclared).toEqual([]);
  });

  it('has no runtime dependency that nothing imports', () => {
    const unused = Object.keys(pkg.dependencies).filter((name) => !serviceTypeImports.has(name) && !NOT_IMPORTED.includes(name)).sort();
    expect(unused).toEqual([]);
  });

  it('reviews the install scripts: the native modules build, telemetry does not run', () => {
    expect(pkg.allowScripts).toMatchObject({ argon2: true, 'better-sqlite3': true, '@scarf/scarf': false });
  });
});
