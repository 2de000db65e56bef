#!/usr/bin/env bash
# A 3-controller + 3-broker Tributary cluster on this machine, for integration tests, benchmarks and trying
# things out. Uses the built bins (packages/*/dist/bin); build first with `npm run build`.
#
#   deploy/local/cluster.sh start|stop|status [--dir DIR] [--base-port P] [--log-level LEVEL]
#                           [--ready-timeout-s N] [--stop-timeout-s N] [--metrics on|off]
#   deploy/local/cluster.sh args NAME [--dir DIR] [--base-port P]   (NAME's command line, one word a line)
#
# Ports (P = --base-port, default 19090):
#   controllers 1..3  gRPC P, P+1, P+2          metrics P+20, P+21, P+22
#   brokers 1..3      gRPC P+10, P+11, P+12     metrics P+23, P+24, P+25
#                     Kafka P+30, P+31, P+32    (kcat -b 127.0.0.1:P+30 -L; DESIGN §9)
# Files under DIR (default ./data/local): NAME/ (data dir), logs/NAME.log, pids/NAME.pid, cluster.env.
# `start` waits (bounded) until every process answers; `stop` sends SIGTERM, waits (bounded), then SIGKILL.
# Exit codes: 0 ok, 1 failure (the message says which process and where its log is), 2 bad usage.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NODE="${NODE:-node}"
CONTROLLER_BIN="${TRIBUTARY_CONTROLLER_BIN:-$ROOT/packages/controller/dist/bin/tributary-controller.js}"
BROKER_BIN="${TRIBUTARY_BROKER_BIN:-$ROOT/packages/broker/dist/bin/tributary-broker.js}"
PROBE="$ROOT/deploy/local/probe.mjs"
HOST=127.0.0.1
NAMES=(controller-1 controller-2 controller-3 broker-1 broker-2 broker-3)

COMMAND=""
ARGS_NAME=""
DIR="./data/local"
BASE_PORT=""
LOG_LEVEL=info
READY_TIMEOUT_S=60
METRICS=on
STOP_TIMEOUT_S=30

usage() {
  sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

is_uint() { [[ "$1" =~ ^[0-9]+$ ]]; }

parse_args() {
  [[ $# -ge 1 ]] || usage
  COMMAND="$1"
  shift
  case "$COMMAND" in start | stop | status) ;; args) [[ $# -ge 1 ]] || usage && ARGS_NAME="$1" && shift ;; -h | --help) usage ;;
    *) echo "unknown command: $COMMAND" >&2 && usage ;;
  esac
  while [[ $# -gt 0 ]]; do
    [[ $# -ge 2 ]] || { echo "$1 needs a value" >&2 && usage; }
    case "$1" in
      --dir) DIR="$2" ;;
      --base-port) BASE_PORT="$2" ;;
      --log-level) LOG_LEVEL="$2" ;;
      --ready-timeout-s) READY_TIMEOUT_S="$2" ;;
      --stop-timeout-s) STOP_TIMEOUT_S="$2" ;;
      --metrics) METRICS="$2" ;;
      *) echo "unknown flag: $1" >&2 && usage ;;
    esac
    shift 2
  done
  [[ "$METRICS" == on || "$METRICS" == off ]] || { echo "--metrics must be on or off" >&2 && usage; }
  is_uint "$READY_TIMEOUT_S" && is_uint "$STOP_TIMEOUT_S" || { echo "timeouts must be whole seconds" >&2 && usage; }
  if [[ -n "$BASE_PORT" ]]; then
    is_uint "$BASE_PORT" && ((BASE_PORT >= 1024 && BASE_PORT + 32 <= 65535)) ||
      { echo "--base-port must be in [1024, 65503]" >&2 && usage; }
  fi
}

# The base port: the flag, else the one `start` recorded in DIR/cluster.env, else 19090. Whether metrics are
# on is recorded too, for `status` of a cluster started with --metrics off.
resolve_base_port() {
  if [[ -z "$BASE_PORT" && -f "$DIR/cluster.env" ]]; then
    BASE_PORT="$(sed -n 's/^BASE_PORT=\([0-9]*\)$/\1/p' "$DIR/cluster.env")"
  fi
  if [[ "$COMMAND" != start && -f "$DIR/cluster.env" ]]; then
    METRICS_SUPPORTED="$(sed -n 's/^METRICS_SUPPORTED=\(yes\|no\)$/\1/p' "$DIR/cluster.env")"
  fi
  BASE_PORT="${BASE_PORT:-19090}"
}

# index of NAME in NAMES (0..5): controllers 0..2, brokers 3..5
index_of() {
  local i
  for i in "${!NAMES[@]}"; do [[ "${NAMES[$i]}" == "$1" ]] && echo "$i" && return; done
  die "no process named $1"
}
kind_of() { [[ "$1" == controller-* ]] && echo controller || echo broker; }
id_of() { echo "${1##*-}"; }
grpc_port_of() {
  local id
  id="$(id_of "$1")"
  if [[ "$(kind_of "$1")" == controller ]]; then echo $((BASE_PORT + id - 1)); else echo $((BASE_PORT + 10 + id - 1)); fi
}
metrics_port_of() { echo $((BASE_PORT + 20 + $(index_of "$1"))); }
kafka_port_of() { echo $((BASE_PORT + 30 + $(id_of "$1") - 1)); }
pid_file_of() { echo "$DIR/pids/$1.pid"; }
log_file_of() { echo "$DIR/logs/$1.log"; }
pid_of() {
  local file
  file="$(pid_file_of "$1")"
  [[ -f "$file" ]] && cat "$file" || true
}
is_running() {
  local pid
  pid="$(pid_of "$1")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

voters() {
  echo "1@$HOST:$BASE_PORT,2@$HOST:$((BASE_PORT + 1)),3@$HOST:$((BASE_PORT + 2))"
}
controllers() {
  echo "$HOST:$BASE_PORT,$HOST:$((BASE_PORT + 1)),$HOST:$((BASE_PORT + 2))"
}

# Whether metrics are on: asked for, and both bins accept --metrics-listen (older builds do not: then metrics
# are off, said once at start).
METRICS_SUPPORTED=""
metrics_supported() {
  if [[ -z "$METRICS_SUPPORTED" ]]; then
    if [[ "$METRICS" == on ]] && "$NODE" "$CONTROLLER_BIN" --help 2>&1 | grep -q -- '--metrics-listen' &&
      "$NODE" "$BROKER_BIN" --help 2>&1 | grep -q -- '--metrics-listen'; then
      METRICS_SUPPORTED=yes
    else
      METRICS_SUPPORTED=no
    fi
  fi
  [[ "$METRICS_SUPPORTED" == yes ]]
}

metrics_address_of() {
  if metrics_supported; then echo "$HOST:$(metrics_port_of "$1")"; else echo -; fi
}

# The command line of NAME, one argument per line.
args_of() {
  local name="$1" id
  id="$(id_of "$name")"
  if [[ "$(kind_of "$name")" == controller ]]; then
    printf '%s\n' "$CONTROLLER_BIN" --node-id "$id" --listen "$HOST:$(grpc_port_of "$name")" \
      --data-dir "$DIR/$name" --voters "$(voters)" --log-level "$LOG_LEVEL"
  else
    printf '%s\n' "$BROKER_BIN" --node-id "$id" --listen "$HOST:$(grpc_port_of "$name")" \
      --data-dir "$DIR/$name" --controllers "$(controllers)" --log-level "$LOG_LEVEL" \
      --kafka-listen "$HOST:$(kafka_port_of "$name")"
  fi
  if metrics_supported; then printf '%s\n' --metrics-listen "$HOST:$(metrics_port_of "$name")"; fi
}

probe_targets() {
  local name pid
  for name in "${NAMES[@]}"; do
    pid="$(pid_of "$name")"
    # pid 0 (no pid file) reads as "not running" to the probe.
    printf '%s\n' "$(kind_of "$name"),$name,$HOST:$(grpc_port_of "$name"),$(metrics_address_of "$name"),${pid:-0}"
  done
}

probe() {
  local targets=()
  mapfile -t targets < <(probe_targets)
  (cd "$ROOT" && "$NODE" "$PROBE" --deadline-ms 2000 "${targets[@]}")
}

launch() {
  local name="$1" args=()
  mapfile -t args < <(args_of "$name")
  mkdir -p "$DIR/$name"
  echo "--- cluster.sh: $(date -u +%FT%TZ) start $NODE ${args[*]}" >>"$(log_file_of "$name")"
  # stdin/stdout/stderr detached from this shell, so the process outlives it and callers' pipes close.
  nohup "$NODE" "${args[@]}" >>"$(log_file_of "$name")" 2>&1 </dev/null &
  echo $! >"$(pid_file_of "$name")"
}

start() {
  [[ -f "$CONTROLLER_BIN" ]] || die "controller not built ($CONTROLLER_BIN missing): run \`npm run build\` first"
  [[ -f "$BROKER_BIN" ]] || die "broker not built ($BROKER_BIN missing): run \`npm run build\` first"
  local name
  for name in "${NAMES[@]}"; do
    is_running "$name" && die "$name is already running (pid $(pid_of "$name")); run \`$0 stop --dir $DIR\` first"
  done
  mkdir -p "$DIR/logs" "$DIR/pids"
  DIR="$(cd "$DIR" && pwd)"
  if [[ "$METRICS" == on ]] && ! metrics_supported; then
    echo "cluster.sh: the bins do not accept --metrics-listen yet: metrics are off" >&2
  fi
  metrics_supported || true
  printf 'BASE_PORT=%s\nMETRICS_SUPPORTED=%s\n' "$BASE_PORT" "$METRICS_SUPPORTED" >"$DIR/cluster.env"
  for name in "${NAMES[@]}"; do launch "$name"; done
  echo "cluster.sh: started 3 controllers + 3 brokers under $DIR; waiting up to ${READY_TIMEOUT_S}s until they answer"
  local deadline=$((SECONDS + READY_TIMEOUT_S)) output=""
  while ((SECONDS < deadline)); do
    for name in "${NAMES[@]}"; do
      if ! is_running "$name"; then
        echo "cluster.sh: $name exited during startup; last lines of $(log_file_of "$name"):" >&2
        tail -n 20 "$(log_file_of "$name")" >&2 || true
        stop >&2 || true
        exit 1
      fi
    done
    if output="$(probe)"; then
      echo "$output"
      echo "cluster.sh: ready"
      return 0
    fi
    sleep 1
  done
  echo "cluster.sh: not ready after ${READY_TIMEOUT_S}s; last probe:" >&2
  echo "$output" >&2
  echo "cluster.sh: logs are in $DIR/logs; stopping" >&2
  stop >&2 || true
  exit 1
}

status() {
  local name all_ok=0 line
  if [[ ! -d "$DIR/pids" ]]; then
    echo "cluster.sh: no cluster under $DIR"
    return 1
  fi
  local output
  output="$(probe)" || all_ok=1
  for name in "${NAMES[@]}"; do
    line="$(grep "^$name " <<<"$output" || echo "$name alive=no")"
    local kafka=-
    [[ "$(kind_of "$name")" == broker ]] && kafka="$(kafka_port_of "$name")"
    printf '%-13s grpc_port=%s metrics_port=%s kafka_port=%s %s log=%s\n' "$name" "$(grpc_port_of "$name")" \
      "$(metrics_address_of "$name" | sed 's/.*://')" "$kafka" "${line#"$name" }" "$(log_file_of "$name")"
  done
  return "$all_ok"
}

stop() {
  local name pid pids=() killed=0
  # Brokers first: they hand their leaderships over to each other while the controllers still run.
  for name in broker-3 broker-2 broker-1 controller-3 controller-2 controller-1; do
    # A pid file whose process is gone is stale (a crash): drop it.
    is_running "$name" || rm -f "$(pid_file_of "$name")"
    if is_running "$name"; then
      pid="$(pid_of "$name")"
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$name:$pid")
    fi
  done
  local deadline=$((SECONDS + STOP_TIMEOUT_S)) entry left
  while ((SECONDS < deadline)); do
    left=0
    for entry in "${pids[@]+"${pids[@]}"}"; do kill -0 "${entry#*:}" 2>/dev/null && left=1; done
    ((left == 0)) && break
    sleep 0.2
  done
  for entry in "${pids[@]+"${pids[@]}"}"; do
    name="${entry%%:*}"
    pid="${entry#*:}"
    if kill -0 "$pid" 2>/dev/null; then
      echo "cluster.sh: $name (pid $pid) ignored SIGTERM for ${STOP_TIMEOUT_S}s: SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      killed=1
    else
      echo "cluster.sh: $name (pid $pid) stopped"
    fi
    rm -f "$(pid_file_of "$name")"
  done
  ((${#pids[@]} > 0)) || echo "cluster.sh: nothing running under $DIR"
  return "$killed"
}

parse_args "$@"
resolve_base_port
case "$COMMAND" in
  start) start ;;
  status) status ;;
  stop) stop ;;
  args)
    index_of "$ARGS_NAME" >/dev/null
    args_of "$ARGS_NAME"
    ;;
esac
