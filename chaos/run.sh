#!/usr/bin/env bash
# The chaos run of RELIABILITY.md: the local stack with 2 transcoders, 100 short jobs, a transcoder SIGKILLed
# every 5 s (and started again), the projector SIGKILLed once; then every job must be terminal exactly once and
# the read model must equal a fresh replay of every topic. Prints the figures (also in
# system-tests/target/chaos/report.txt).
#
#   chaos/run.sh [JOBS] [KILL_EVERY_SECONDS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jobs="${1:-100}"
every="${2:-5}"
exec ./mvnw -B -pl system-tests -am verify \
  -Dtest=ChaosRunTest -Dsurefire.failIfNoSpecifiedTests=false -Dsystem.excludedGroups=none \
  -Dchaos.jobs="$jobs" -Dchaos.kill-every-seconds="$every"
