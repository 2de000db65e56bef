#!/usr/bin/env bash
# Installs the outside tools the test suite drives (Debian packages only): kcat, the librdkafka-based
# Kafka client the Kafka-listener tests use (DESIGN §9). Runs before `npm test` (the root pretest
# script) and from .ci/run. Without root or apt-get it only says what is missing; the tests that need
# the tool then fail with a message naming it, never skip.
set -euo pipefail

missing=()
command -v kcat >/dev/null 2>&1 || missing+=(kcat)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-test-tools: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi

echo "ensure-test-tools: installing ${missing[*]} from Debian's packages" >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  apt-get update >/dev/null 2>&1
  apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
fi
