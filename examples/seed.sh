#!/usr/bin/env bash
# Example data for a fresh failsafe (used by `make run` on the first start): the reference
# story's organisation — users and people (on-call engineer, incident commander, PMO lead,
# auditor), the services (cloud network, Jira, Feishu OA, ERP), an on-call schedule and an
# escalation policy for P1/P2, the two example plans approved, and one open P3 incident.
# 示例数据：用户与人员、受保护系统、值班表与升级策略、两份已批准的示例预案、一个处理中的三级事件。
# Usage: examples/seed.sh BIN SERVER_URL ADMIN_PASSWORD_FILE [WEBHOOK_URL] [BACKUP_DIR]
# With WEBHOOK_URL (make run passes its local notification sink) an internal webhook channel is
# added, so the plans' notifications have somewhere to go. With BACKUP_DIR (make run passes
# DATA/backup-repos) a backup policy for Jira saves the Jira stand-in's pages into a local
# repository there every hour (Jira's RPO is 1 h), and runs once and drills once at once, so
# the Backups page (备份) has something to show.
set -euo pipefail
bin=$1
server=$2
pwfile=$3
webhook=${4:-}
backup_dir=${5:-}
eval "$("$bin" login -u admin --password-stdin --server "$server" --name seed --expires-in 1h <"$pwfile")"
root=$(cd "$(dirname "$0")/.." && pwd)
quiet() { "$bin" "$@" >/dev/null; }

# Users (log in) and the people they are (paged, assigned to roles).
add() {  # username role display-name email handle name phone
  local id
  id=$("$bin" user create --username "$1" --role "$2" --display-name "$3" --email "$4" --json |
    /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
  quiet person add --handle "$5" --name "$6" --email "$4" --phone "$7" --user-id "$id"
  echo "  example user $1 ($2) — $3"
}
add zhang.wei responder "张伟 Zhang Wei (on-call engineer 值班工程师)" zhang.wei@example.com \
  zhang-wei 张伟 +8613800000001
add li.na responder "李娜 Li Na (incident commander 应急指挥)" li.na@example.com li-na 李娜 +8613800000002
add wang.fang viewer "王芳 Wang Fang (PMO lead 项目管理办公室)" wang.fang@example.com \
  wang-fang 王芳 +8613800000003
add audit.chen viewer "陈静 Chen Jing (auditor 审计)" audit.chen@example.com chen-jing 陈静 \
  +8613800000004
echo "  (example users get random passwords; set one with: failsafe user ... or PATCH /api/v1/users/{id})"

# The protected services and who runs them.
quiet team add --key it-ops --name "IT 运维 / IT operations" --member zhang-wei --member li-na
quiet service add --key cloud-network --name "云网络 / Cloud network" --tier critical --owner-team it-ops
quiet service add --key jira --name "Jira" --tier critical --rto 4h --rpo 1h --owner-team it-ops \
  --depends-on cloud-network --group pm-tools \
  --contact "name=Atlassian 技术支持;organisation=Atlassian;role=vendor support;phone=+86 400 000 0000"
quiet service add --key feishu-oa --name "飞书 OA / Feishu OA" --tier high --rto 8h --rpo 4h \
  --depends-on cloud-network --group pm-tools
quiet service add --key erp --name "ERP" --tier high --rto 8h --rpo 1h --owner-team it-ops
echo "  services cloud-network, jira, feishu-oa, erp"

# On call and escalation: the primary rotation first, then the commander after 10 minutes.
quiet schedule add --key primary --name "主值班 / Primary on-call" --start-date 2026-01-05 \
  --rotation weekly --handoff 09:00 --time-zone Asia/Shanghai --member zhang-wei --member li-na
quiet policy add --key p1-default --name "一级/二级升级 / P1-P2 escalation" --repeat 2 \
  --level 0s:schedule:primary --level 10m:person:li-na
quiet severity update P1 --policy p1-default
quiet severity update P2 --policy p1-default
echo "  on-call schedule primary, escalation policy p1-default (P1, P2)"

# The example plans (预案), approved so incidents can activate them.
for plan in pm-system-outage data-loss; do
  quiet plan import "$root/examples/plans/$plan.yaml"
  quiet plan approve "$plan"
done
echo "  plans pm-system-outage, data-loss (approved)"

# One incident in progress, so the console has something to show.
quiet incident declare --title "ERP 报表导出缓慢 / ERP report export slow" --severity P3 --service erp
echo "  an open P3 incident (ERP report export slow)"
if [ -n "$webhook" ]; then
  quiet channel add --type webhook --name example-webhook --url "$webhook"
  echo "  channel example-webhook -> $webhook (add your robot with failsafe channel add)"
else
  echo "  no notification channel yet: add your robot with failsafe channel add (docs/response.md)"
fi

if [ -n "$backup_dir" ]; then
  # The repository's password is sealed in the server; a copy stays beside the repository
  # (0600) for restoring with the CLI: failsafe backup restore --password-file ...
  mkdir -p "$backup_dir"
  (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$backup_dir/jira-standin.password")
  policy=$(mktemp)
  cat >"$policy" <<POLICY
name: jira-standin
service: jira
schedule: "5 * * * *"        # hourly: Jira's RPO is 1 h
drill_schedule: "30 4 * * *"  # a restore drill every night
sources:
  - kind: paths
    paths: [$root/examples/jira-standin]
retention: {keep_last: 3, keep_daily: 7, keep_weekly: 4}
destinations:
  - url: $backup_dir/jira-standin
    media: disk
    init: true
    password: "$(cat "$backup_dir/jira-standin.password")"
POLICY
  quiet backup policy apply -f "$policy"
  rm -f "$policy"
  quiet backup policy run-now jira-standin
  quiet backup policy drill-now jira-standin
  echo "  backup policy jira-standin -> $backup_dir/jira-standin (hourly; a run and a drill queued)"
fi
