// Runs the `script:` of an actions/github-script step the way that action does (an async
// function of require, github, context and core), with a stand-in for GitHub's REST API
// that records every call. Usage: node github_script.mjs SCRIPT_FILE STATE_JSON
// STATE_JSON: {"issues": [{number, title, state, labels: [names]}], "labels": [names]}.
// Prints the recorded calls as JSON.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const script = readFileSync(process.argv[2], "utf8");
const state = JSON.parse(readFileSync(process.argv[3], "utf8"));
const calls = [];
const record = (name) => async (params) => {
  calls.push([name, params]);
  return { data: { number: 1000 + calls.length } };
};
const issues = {
  listForRepo: async ({ state: wanted, labels }) => ({
    data: state.issues.filter((i) => i.state === wanted && i.labels.includes(labels)),
  }),
  getLabel: async ({ name }) => {
    if (state.labels.includes(name)) return { data: { name } };
    const error = new Error("Not Found");
    error.status = 404;
    throw error;
  },
  createLabel: record("createLabel"),
  create: record("create"),
  update: record("update"),
  createComment: record("createComment"),
};
const github = { rest: { issues }, paginate: async (method, params) => (await method(params)).data };
const context = { repo: { owner: "acme", repo: "copilot" }, serverUrl: "https://github.com", runId: 42 };
const core = { notice: (message) => calls.push(["notice", message]) };
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
await new AsyncFunction("require", "github", "context", "core", script)(require, github, context, core);
console.log(JSON.stringify(calls));
