#!/usr/bin/env bash
# The action's one command (see action.yml): validate, plan, drift, apply or orgs, then the outputs.
# Inputs arrive as CR_* variables; credentials as the variables the CLI reads itself.
# The exit code is the command's, except that 2 (changes pending) is a success here: the
# `has-changes` output carries it, so a workflow decides what a change means.
# No `set -u`: macOS runs bash 3.2, where an empty array counts as unset.
set -o pipefail

cli=("$CR_PYTHON" -m reconciler)
dir="$RUNNER_TEMP/copilot-reconciler-$CR_COMMAND"
mkdir -p "$dir"
rm -f "$dir/plan.json" "$dir/plan.md" # left by an earlier use of the action in this job
log="$dir/$CR_COMMAND.log"
read -r -d '' -a paths <<<"$CR_PATH" || true
read -r -d '' -a extra <<<"$CR_ARGS" || true
api=()
if [ -n "$CR_API_URL" ]; then api=(--api-url "$CR_API_URL"); fi

# Annotations on the pull request's diff for every problem, whatever the command.
"${cli[@]}" validate --format github "${paths[@]}" | tee "$log"
code=${PIPESTATUS[0]}
if [ "$code" -eq 0 ]; then
  case "$CR_COMMAND" in
    validate) ;;
    orgs)
      # One matrix job per org: `include: ${{ fromJSON(steps.ID.outputs.orgs) }}`.
      "${cli[@]}" orgs --json "${paths[@]}" >"$dir/orgs.json"
      code=$?
      delimiter="orgs-$RANDOM$RANDOM"
      { echo "orgs<<$delimiter"; cat "$dir/orgs.json"; echo "$delimiter"; } >>"$GITHUB_OUTPUT"
      ;;
    plan | drift)
      flags=(--out "$dir/plan.json")
      if [ "$CR_COMMAND" = plan ]; then flags+=(--detailed-exitcode); fi
      "${cli[@]}" "$CR_COMMAND" "${paths[@]}" "${flags[@]}" "${api[@]}" "${extra[@]}" 2>&1 | tee -a "$log"
      code=${PIPESTATUS[0]}
      ;;
    apply)
      # Save the plan first (it is the artifact and the job summary), then apply exactly it:
      # apply refuses with 3 when the organization moved in between.
      "${cli[@]}" plan "${paths[@]}" --out "$dir/plan.json" "${api[@]}" 2>&1 | tee -a "$log"
      code=${PIPESTATUS[0]}
      if [ "$code" -eq 0 ]; then
        "${cli[@]}" apply "${paths[@]}" --plan "$dir/plan.json" --yes "${api[@]}" "${extra[@]}" 2>&1 | tee -a "$log"
        code=${PIPESTATUS[0]}
      fi
      ;;
    *)
      echo "::error title=copilot-reconciler::unknown command '$CR_COMMAND': use validate, plan, apply, drift or orgs"
      code=1
      ;;
  esac
fi

has_changes=false
refused=false
plan_json=""
plan_markdown=""
if [ -s "$dir/plan.json" ] && [ "$CR_COMMAND" != validate ]; then
  plan_json="$dir/plan.json"
  plan_markdown="$dir/plan.md"
  "${cli[@]}" show "$plan_json" --format markdown --max-chars 1000000 >>"$GITHUB_STEP_SUMMARY"
  "${cli[@]}" show "$plan_json" --format markdown --max-chars "$CR_MAX_COMMENT_CHARS" >"$plan_markdown"
  read -r has_changes plan_refused < <("$CR_PYTHON" "$GITHUB_ACTION_PATH/action/plan_flags.py" "$plan_json")
  # A plan lists the refusals apply would make; apply itself says so by exiting 3
  # (its plan may list a refusal that --force overrode).
  if [ "$CR_COMMAND" != apply ]; then refused=$plan_refused; fi
fi
if [ "$code" -eq 2 ]; then has_changes=true; fi
if [ "$code" -eq 3 ]; then
  refused=true
  echo "::error title=copilot-reconciler::$CR_COMMAND refused (exit 3): the reasons are in the log above and in the plan"
fi

{
  echo "exitcode=$code"
  echo "has-changes=$has_changes"
  echo "refused=$refused"
  echo "plan-json=$plan_json"
  echo "plan-markdown=$plan_markdown"
  echo "log=$log"
} >>"$GITHUB_OUTPUT"

if [ "$code" -eq 2 ]; then exit 0; fi
exit "$code"
