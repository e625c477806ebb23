/**
 * The frontend's import graph, read with the TypeScript compiler's own import
 * scanner (ts.preProcessFile: every import, export-from and dynamic import,
 * `import type` included): it must have no cycle, and the editors and pickers
 * must not import the DataSource class (they get a LocusResources).
 */
import fs from 'fs';
import path from 'path';
import ts from 'typescript';

const SRC = path.resolve(__dirname, '..');

/** sourceFiles lists every .ts and .tsx file below dir. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      return sourceFiles(p);
    }
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** resolve finds the file an import specifier names (relative, or from src/ as jest's modulePaths allow). */
function resolve(from: string, spec: string): string | undefined {
  const bases = spec.startsWith('.') ? [path.resolve(path.dirname(from), spec)] : [path.join(SRC, spec)];
  for (const base of bases) {
    for (const candidate of [
      base,
      `${base}.ts`,
      `${base}.tsx`,
      path.join(base, 'index.ts'),
      path.join(base, 'index.tsx'),
    ]) {
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile() && /\.tsx?$/.test(candidate)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/** importGraph maps each file (relative to src/) to the src files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const deps = info.importedFiles
      .map((f) => resolve(file, f.fileName))
      .filter((f): f is string => !!f)
      .map((f) => path.relative(SRC, f));
    graph.set(path.relative(SRC, file), [...new Set(deps)]);
  }
  return graph;
}

/** cycles returns the strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    order.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!order.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, order.get(w)!));
      }
    }
    if (low.get(v) === order.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) {
        found.push(component.sort());
      }
    }
  };
  for (const v of graph.keys()) {
    if (!order.has(v)) {
      visit(v);
    }
  }
  return found;
}

describe('import graph', () => {
  const graph = importGraph();

  it('reads the source tree and resolves its imports', () => {
    // A scanner that resolved nothing would find no cycle: check it sees the known edges.
    expect(graph.get('module.ts')).toEqual(expect.arrayContaining(['datasource.ts', 'components/QueryEditor.tsx']));
    expect(graph.get('components/pickers/SiteField.tsx')).toEqual(expect.arrayContaining(['resources.ts']));
  });

  it('finds a cycle when there is one', () => {
    const a = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
    ]);
    expect(cycles(a)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(cycles(new Map([['a.ts', ['a.ts']]]))).toEqual([['a.ts']]);
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps the editors and pickers off the DataSource class', () => {
    const offenders = [...graph.entries()]
      .filter(
        ([file, deps]) =>
          file.startsWith('components/') && !file.includes('__tests__') && deps.includes('datasource.ts')
      )
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });
});
