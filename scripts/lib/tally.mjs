#!/usr/bin/env node
// Tallies test results for scripts/test.sh.
//   tally.mjs go <file.jsonl>    counts `go test -json` test events (subtests included)
//   tally.mjs jest <file.json>   counts a jest --json report
//   tally.mjs node <file.tap>    counts node --test TAP output
// Each mode prints "<passed> <failed>" and lists failures on stderr.
import { readFileSync } from 'node:fs';

const [mode, ...files] = process.argv.slice(2);

function countGo(file) {
  let passed = 0;
  let failed = 0;
  const outputs = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) {
      continue;
    }
    let ev;
    try {
      ev = JSON.parse(line);
    } catch {
      continue;
    }
    const key = `${ev.Package} ${ev.Test ?? ''}`;
    if (ev.Action === 'output') {
      if (!ev.Test && /^(ok|FAIL|---|panic)/.test(ev.Output ?? '')) {
        process.stderr.write(ev.Output);
      }
      outputs.set(key, (outputs.get(key) ?? '') + ev.Output);
      continue;
    }
    if (!ev.Test) {
      if (ev.Action === 'fail' && ev.Package) {
        // A package that failed to build or panicked outside a test.
        failed++;
        console.error(`FAIL package ${ev.Package}`);
      }
      continue;
    }
    if (ev.Action === 'pass') {
      passed++;
    } else if (ev.Action === 'fail') {
      failed++;
      console.error(`FAIL ${ev.Package} ${ev.Test}\n${(outputs.get(key) ?? '').slice(-4000)}`);
    }
  }
  return [passed, failed];
}

function countJest(file) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const suite of report.testResults ?? []) {
    for (const t of suite.assertionResults ?? []) {
      if (t.status === 'failed') {
        console.error(`FAIL ${suite.name} ${t.fullName}`);
      }
    }
  }
  return [report.numPassedTests, report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0)];
}

function countNode(file) {
  const text = readFileSync(file, 'utf8');
  const pass = text.match(/^# pass (\d+)/m);
  const fail = text.match(/^# fail (\d+)/m);
  return [pass ? Number(pass[1]) : 0, fail ? Number(fail[1]) : 1];
}

const counters = { go: countGo, jest: countJest, node: countNode };
if (!counters[mode]) {
  console.error(`unknown mode "${mode}": use go, jest, node or sum`);
  process.exit(2);
}
const [p, f] = counters[mode](files[0]);
console.log(`${p} ${f}`);
