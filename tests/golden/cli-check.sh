#!/usr/bin/env bash
# golden's command line on a packed random-weight model:
#  - teacher forcing on golden's own story predicts that story back, token for
#    token, and then BOS (when the story ended before the context was full);
#  - --lengths has one line per --ids line;
#  - a truncated blob is refused with one line naming the file, exit 2.
#   cli-check.sh PACK GOLDEN TOK
set -euo pipefail
pack=$1 golden=$2 tok=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "cli-check: $*" >&2; exit 1; }

"$pack" --random 7 "$work/r.bin"
"$pack" "$work/r.bin" "$tok" "$work/r.blob"
"$golden" --ids "$work/r.blob" >"$work/ids"
n=$(wc -l <"$work/ids")
[ "$n" -gt 0 ] || fail "empty story"
"$golden" --force "$work/ids" "$work/r.blob" >"$work/forced"
[ "$(wc -l <"$work/forced")" -eq "$n" ] || fail "--force gave $(wc -l <"$work/forced") lines for $n ids"
cmp -s "$work/ids" "$work/forced" || fail "teacher forcing on golden's own story does not reproduce it"
"$golden" --lengths "$work/r.blob" >"$work/lengths"
[ "$(wc -l <"$work/lengths")" -eq "$n" ] || fail "--lengths and --ids disagree on the token count"
[ "$(awk '{ s += $1 } END { print s }' "$work/lengths")" -eq "$("$golden" "$work/r.blob" | wc -c)" ] ||
  fail "--lengths does not add up to the text's size"

head -c 1000 "$work/r.blob" >"$work/short.blob"
set +e
msg=$("$golden" "$work/short.blob" 2>&1 >/dev/null)
status=$?
set -e
[ "$status" -eq 2 ] || fail "truncated blob: exit $status, expected 2"
[ "$(printf '%s\n' "$msg" | wc -l)" -eq 1 ] || fail "truncated blob: more than one line of error"
case $msg in *short.blob*) ;; *) fail "truncated blob: message does not name the file: $msg" ;; esac
echo "cli-check: golden's $n-token story reproduced by teacher forcing; bad blob refused"
