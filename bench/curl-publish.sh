#!/usr/bin/env bash
# The baseline: the registry's publish protocol done with curl alone.
# start (POST), three PUTs one after another (--upload-file), complete (POST).
# usage: curl-publish.sh API_URL TOKEN KIND NAME VERSION SCHEMA INDEX INSTALL
#        (KIND template: curl-publish.sh API_URL TOKEN template NAME VERSION ARCHIVE)
set -euo pipefail
api=$1 token=$2 kind=$3 name=$4 version=$5
shift 5
base="$api/api/registry/${kind}s/private/bench-org/$name/versions"
auth=(-H "Authorization: token $token" -H "Content-Type: application/json")

started=$(curl -sSf "${auth[@]}" -d "{\"version\":\"$version\"}" "$base")
operation=$(sed -E 's/.*"operationID":"([^"]+)".*/\1/' <<<"$started")
url_of() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/; s/\\\\u0026/\\&/g" <<<"$started"; }

put() { # artifact file content-type
  curl -sSf -o /dev/null -X PUT -H "Content-Type: $3" --upload-file "$2" \
    "$(url_of "$1")"
}
if [ "$kind" = package ]; then
  put schema "$1" application/json
  put index "$2" "text/markdown; charset=utf-8"
  put installationConfiguration "$3" "text/markdown; charset=utf-8"
else
  put archive "$1" application/gzip
fi

curl -sSf -o /dev/null "${auth[@]}" -d "{\"operationID\":\"$operation\"}" \
  "$base/$version/complete"
