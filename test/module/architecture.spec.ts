import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

// Jest runs from the repository root (ESM mode has no __dirname).
const lib = join(process.cwd(), 'lib');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** lib-relative path → the lib-relative files it imports (value and type imports alike). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(lib)) {
    const source = readFileSync(file, 'utf8');
    const targets = [...source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g)].map((match) =>
      relative(lib, normalize(join(dirname(file), `${match[1]}.ts`))),
    );
    graph.set(relative(lib, file), targets);
  }
  return graph;
}

const folderOf = (path: string): string => (path.includes('/') ? path.slice(0, path.indexOf('/')) : '.');

function importsBetween(graph: Map<string, string[]>, from: string, to: string): string[] {
  return [...graph].flatMap(([file, targets]) => (folderOf(file) === from ? targets.filter((target) => folderOf(target) === to).map((target) => `${file} -> ${target}`) : []));
}

/** Every import circle between files, as the list of files on it (Tarjan's strongly connected components). */
function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    lowlinks.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indices.has(next)) {
        visit(next);
        lowlinks.set(node, Math.min(lowlinks.get(node)!, lowlinks.get(next)!));
      } else if (onStack.has(next)) {
        lowlinks.set(node, Math.min(lowlinks.get(node)!, indices.get(next)!));
      }
    }
    if (lowlinks.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}

describe('the library reads one way', () => {
  const graph = importGraph();

  it('has no import circle between files', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('auth/ never imports sessions/ (server sessions are a credential source the module composes)', () => {
    expect(importsBetween(graph, 'auth', 'sessions')).toEqual([]);
  });

  it('users/ never imports auth/ (the resolver lives with auth and uses users, not the other way round)', () => {
    expect(importsBetween(graph, 'users', 'auth')).toEqual([]);
  });

  it('options/ is a leaf: it imports no other folder of the library', () => {
    expect([...graph].filter(([file]) => folderOf(file) === 'options').flatMap(([file, targets]) => targets.filter((target) => folderOf(target) !== 'options').map((target) => `${file} -> ${target}`))).toEqual([]);
  });
});
