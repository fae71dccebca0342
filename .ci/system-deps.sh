#!/usr/bin/env bash
# Install the system packages the full test suite needs, when missing:
# Chromium (+ fonts) for browser tests, PostgreSQL for postgres tests, a JRE for Spark.
# Needs root and apt; elsewhere it only says what is missing.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-dejavu-core)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null 2>&1
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || { echo "system-deps: apt-get install ${need[*]} failed" >&2; exit 1; }
else
  echo "system-deps: missing ${need[*]}; install them (as root: apt-get install ${need[*]}) or those tests skip" >&2
fi
exit 0
