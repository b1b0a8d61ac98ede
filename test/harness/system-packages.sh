#!/usr/bin/env bash
# Installs the Debian packages the test suite uses (kcat; the headers librdkafka builds against)
# when they are missing, then builds the optional librdkafka binding if `npm ci` dropped it.
# Runs as the `pretest` step, so `npm test` sets up what it needs on a fresh machine. Without root
# or apt-get it only reports what is missing; the suites that need a package then say so.
set -uo pipefail
cd "$(dirname "$0")/../.."
list=.ci/apt-packages.txt
if [ -f "$list" ]; then
  missing=()
  while read -r pkg; do
    pkg="${pkg%%#*}"; pkg="${pkg// /}"
    [ -z "$pkg" ] && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done < "$list"
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
      echo "[pretest] installing system packages: ${missing[*]}"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/tmp/tributary-apt.log 2>&1 \
        || { echo "[pretest] apt-get failed; see /tmp/tributary-apt.log"; tail -n 20 /tmp/tributary-apt.log; }
    else
      echo "[pretest] missing system packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})"
    fi
  fi
fi
# The librdkafka binding is an optional dependency: `npm ci` drops it when its native build fails,
# which it does without the libraries above or without internet (its default build downloads
# openssl, zlib and zstd sources). Built with CKJS_LINKING=dynamic it links the system libraries.
if ! node -e "require('@confluentinc/kafka-javascript')" >/dev/null 2>&1; then
  version=$(node -p "require('./package.json').optionalDependencies['@confluentinc/kafka-javascript'].replace(/^[^0-9]*/, '')")
  echo "[pretest] building @confluentinc/kafka-javascript@${version} against the system libraries (a few minutes, first run only)"
  if [ -d node_modules/@confluentinc/kafka-javascript ]; then
    build=(npm rebuild @confluentinc/kafka-javascript)
  else
    build=(npm install --no-save --no-audit --no-fund "@confluentinc/kafka-javascript@${version}")
  fi
  CKJS_LINKING=dynamic "${build[@]}" >/tmp/tributary-rdkafka-build.log 2>&1 \
    || { echo "[pretest] librdkafka binding build failed (its suites will report SKIPPED); see /tmp/tributary-rdkafka-build.log"; tail -n 20 /tmp/tributary-rdkafka-build.log; }
fi
exit 0
