// Makes src/selectors.ts importable by the node specs: transpiles it with the
// repository's TypeScript into an ES module (no type check; tsc does that).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import ts from 'typescript';

/** Writes src/selectors.ts as an ES module to outFile and returns outFile. */
export function writeSelectorsModule(root, outFile) {
  const source = readFileSync(path.join(root, 'src', 'selectors.ts'), 'utf8');
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    fileName: 'selectors.ts',
  });
  writeFileSync(outFile, out.outputText);
  return outFile;
}
