#!/bin/sh
# A Lambda function as a local command: the event on stdin, the result on
# stdout. $1 picks the behaviour.
input=$(cat)
case "$1" in
echo) printf '{"event":%s,"name":"%s"}\n' "$input" "$AWS_LAMBDA_FUNCTION_NAME" ;;
raise) printf '{"errorType":"ValidationError","errorMessage":"email is missing"}\n'; exit 1 ;;
exit) echo "boom" >&2; exit 3 ;;
sleep) echo "waiting for the database" >&2; sleep 30 ;;
stderr) i=1; while [ $i -le 30 ]; do echo "line $i" >&2; i=$((i+1)); done; exit 4 ;;
chatty) yes "chatter chatter chatter" | head -n 440000 >&2; echo "last words" >&2; exit 2 ;;
huge) head -c 20000000 /dev/zero | tr '\0' 'A' ;;
logs) echo "starting" >&2; echo "done" >&2; printf '{"ok":true}\n' ;;
text) echo "not json" ;;
esac
