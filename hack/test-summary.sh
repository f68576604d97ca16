#!/usr/bin/env bash
# The summary `make test` ends with: per tier, tests run, skipped (with each reason once and how
# often) and failed, read from the Surefire and Failsafe reports of the last run.
#   hack/test-summary.sh            print it; exit 1 when a tier left no report (it did not run)
set -euo pipefail
LOG_TAG=test-summary
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

# name|report files (a glob)
TIERS=("app (unit and HTTP)|inference-app/target/surefire-reports/TEST-*.xml"
  "operator unit (*Test)|operator/target/surefire-reports/TEST-*.xml"
  "local cluster (*IT)|operator/target/failsafe-reports/TEST-*IT.xml"
  "real node (*E2E)|operator/target/failsafe-reports/TEST-*E2E.xml")

# Prints "tests failures errors skipped" summed over the testsuite elements of the files, then
# one line per skip reason: "count<TAB>reason".
tally() {
  awk '
    function attr(line, name,   m) {
      if (match(line, " " name "=\"[^\"]*\"")) { m = substr(line, RSTART, RLENGTH); sub(/^[^"]*"/, "", m); sub(/"$/, "", m); return m }
      return ""
    }
    function unescape(s) { gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s); return s }
    /<testsuite[ >]/ { t += attr($0, "tests"); f += attr($0, "failures"); e += attr($0, "errors"); s += attr($0, "skipped") }
    # JUnit 5 assumptions leave the reason in the body, as the first line of the exception.
    /<skipped/ {
      r = attr($0, "message")
      if (r == "" && match($0, /<!\[CDATA\[[^\]]*/)) {
        r = substr($0, RSTART + 9, RLENGTH - 9); sub(/^[A-Za-z0-9_.$]+: /, "", r); sub(/^Assumption failed: /, "", r)
      }
      if (r == "") r = "(no reason given)"
      reasons[unescape(r)]++
    }
    END {
      print t + 0, f + 0, e + 0, s + 0
      for (r in reasons) printf "%d\t%s\n", reasons[r], r
    }' "$@"
}

missing=0 total_failed=0
printf '\n%-24s %6s %8s %7s\n' "tier" "run" "skipped" "failed"
for tier in "${TIERS[@]}"; do
  name=${tier%%|*} glob=${tier#*|}
  # shellcheck disable=SC2206
  files=($glob)
  if [ ! -e "${files[0]}" ]; then
    printf '%-24s %6s %8s %7s   no report: the tier did not run\n' "$name" - - -
    missing=1
    continue
  fi
  mapfile -t out < <(tally "${files[@]}")
  read -r tests failures errors skipped <<<"${out[0]}"
  failed=$((failures + errors))
  total_failed=$((total_failed + failed))
  printf '%-24s %6d %8d %7d\n' "$name" "$((tests - skipped))" "$skipped" "$failed"
  for line in "${out[@]:1}"; do
    printf '%24s   skipped %dx: %s\n' "" "${line%%$'\t'*}" "${line#*$'\t'}"
  done
done
exit $missing
