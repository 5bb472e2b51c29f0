#!/usr/bin/env bash
# Example data for a fresh failsafe (used by `make run` on the first start): the people of the
# reference story — an on-call engineer, an incident commander, a PMO lead and an auditor.
# 示例数据：值班工程师、应急指挥、项目管理办公室负责人、审计员。
# Usage: examples/seed.sh BIN SERVER_URL ADMIN_PASSWORD_FILE
set -euo pipefail
bin=$1
server=$2
pwfile=$3
eval "$("$bin" login -u admin --password-stdin --server "$server" --name seed --expires-in 1h <"$pwfile")"
add() {  # username role display-name email
  "$bin" user create --username "$1" --role "$2" --display-name "$3" --email "$4" >/dev/null
  echo "  example user $1 ($2) — $3"
}
add zhang.wei responder "张伟 Zhang Wei (on-call engineer 值班工程师)" zhang.wei@example.com
add li.na responder "李娜 Li Na (incident commander 应急指挥)" li.na@example.com
add wang.fang viewer "王芳 Wang Fang (PMO lead 项目管理办公室)" wang.fang@example.com
add audit.chen viewer "陈静 Chen Jing (auditor 审计)" audit.chen@example.com
echo "  (example users get random passwords; set one with: failsafe user ... or PATCH /api/v1/users/{id})"
