#!/bin/sh
# A Lambda function as a local command: the event on stdin, the result on
# stdout. $1 picks the behaviour.
input=$(cat)
case "$1" in
echo) printf '{"event":%s,"name":"%s"}\n' "$input" "$AWS_LAMBDA_FUNCTION_NAME" ;;
raise) printf '{"errorType":"ValidationError","errorMessage":"email is missing"}\n'; exit 1 ;;
exit) echo "boom" >&2; exit 3 ;;
sleep) sleep 30 ;;
text) echo "not json" ;;
esac
