#!/usr/bin/env bash
# A 3-controller + 3-broker Tributary cluster on this machine, for integration tests, benchmarks and trying
# things out. Uses the built bins (packages/*/dist/bin); build first with `npm run build`.
#
#   deploy/local/cluster.sh start|stop|status|reload [--dir DIR] [--base-port P] [--log-level LEVEL]
#                           [--ready-timeout-s N] [--stop-timeout-s N] [--metrics on|off] [--secure on|off]
#   deploy/local/cluster.sh args NAME [--dir DIR] [--base-port P] [--secure on|off]   (one word a line)
#
# Secure by default (DESIGN §10): TLS on every gRPC and Kafka listener and link, authentication required,
# ACLs (--authorizer standard, super users User:admin and User:node). `start` makes what it needs under
# DIR/tls once (trib dev-certs: a CA, node-1..6 for the processes, client-admin; a random admin-password for
# the bootstrap SCRAM user admin) and writes DIR/client.env (`source` it: trib's TRIB_* variables) and
# DIR/kcat.conf (kcat -F). --secure off: plaintext, no authentication, everything allowed.
#
# Ports (P = --base-port, default 19090):
#   controllers 1..3  gRPC P, P+1, P+2          metrics P+20, P+21, P+22
#   brokers 1..3      gRPC P+10, P+11, P+12     metrics P+23, P+24, P+25
#                     Kafka P+30, P+31, P+32    (kcat -b 127.0.0.1:P+30 -L; DESIGN §9)
# Files under DIR (default ./data/local): NAME/ (data dir), logs/NAME.log, pids/NAME.pid, cluster.env, and
# when secure tls/, client.env, kcat.conf. /metrics stays plain HTTP on 127.0.0.1.
# `start` waits (bounded) until every process answers; `stop` sends SIGTERM, waits (bounded), then SIGKILL;
# `reload` sends SIGHUP (each process re-reads its TLS files: rotate with `trib dev-certs DIR/tls`, then reload).
# Exit codes: 0 ok, 1 failure (the message says which process and where its log is), 2 bad usage.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
NODE="${NODE:-node}"
# The committed bins, which run the build's one-file bundles (scripts/bundle-bin.mjs).
CONTROLLER_BIN="${TRIBUTARY_CONTROLLER_BIN:-$ROOT/packages/controller/bin/tributary-controller.js}"
BROKER_BIN="${TRIBUTARY_BROKER_BIN:-$ROOT/packages/broker/bin/tributary-broker.js}"
PROBE="$ROOT/deploy/local/probe.mjs"
TRIB_BIN="${TRIB_BIN:-$ROOT/packages/cli/dist/bin/trib.js}"
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
SECURE=""
ADMIN_USER=admin
SUPER_USERS="User:$ADMIN_USER;User:node"

usage() {
  sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
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
  case "$COMMAND" in start | stop | status | reload) ;; args) [[ $# -ge 1 ]] || usage && ARGS_NAME="$1" && shift ;; -h | --help) usage ;;
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
      --secure) SECURE="$2" ;;
      *) echo "unknown flag: $1" >&2 && usage ;;
    esac
    shift 2
  done
  [[ "$METRICS" == on || "$METRICS" == off ]] || { echo "--metrics must be on or off" >&2 && usage; }
  [[ -z "$SECURE" || "$SECURE" == on || "$SECURE" == off ]] || { echo "--secure must be on or off" >&2 && usage; }
  is_uint "$READY_TIMEOUT_S" && is_uint "$STOP_TIMEOUT_S" || { echo "timeouts must be whole seconds" >&2 && usage; }
  if [[ -n "$BASE_PORT" ]]; then
    is_uint "$BASE_PORT" && ((BASE_PORT >= 1024 && BASE_PORT + 32 <= 65535)) ||
      { echo "--base-port must be in [1024, 65503]" >&2 && usage; }
  fi
}

# The base port: the flag, else the one `start` recorded in DIR/cluster.env, else 19090. Whether metrics are
# on and whether it is secure are recorded too, for `status` of a cluster started with --metrics/--secure off.
resolve_base_port() {
  if [[ -z "$BASE_PORT" && -f "$DIR/cluster.env" ]]; then
    BASE_PORT="$(sed -n 's/^BASE_PORT=\([0-9]*\)$/\1/p' "$DIR/cluster.env")"
  fi
  if [[ "$COMMAND" != start && -f "$DIR/cluster.env" ]]; then
    METRICS_SUPPORTED="$(sed -n 's/^METRICS_SUPPORTED=\(yes\|no\)$/\1/p' "$DIR/cluster.env")"
    [[ -n "$SECURE" ]] || SECURE="$(sed -n 's/^SECURE=\(on\|off\)$/\1/p' "$DIR/cluster.env")"
  fi
  BASE_PORT="${BASE_PORT:-19090}"
  SECURE="${SECURE:-on}"
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
brokers() {
  echo "$HOST:$((BASE_PORT + 10)),$HOST:$((BASE_PORT + 11)),$HOST:$((BASE_PORT + 12))"
}

# ---- security: certificates and the admin password under DIR/tls, made once and reused by every start.
tls_dir() { echo "$DIR/tls"; }
# controller-N presents node-N.pem, broker-N node-(N+3).pem: each is CN=node, the principal User:node.
node_cert_of() { echo "$(tls_dir)/node-$(($(index_of "$1") + 1))"; }

# NAME's security flags. TLS everywhere; controllers want a client certificate (only processes and operators
# talk to them); brokers take clients with SCRAM over TLS and no certificate (their gRPC listeners still verify
# the certificates other processes present, so replication is authenticated as User:node).
security_args_of() {
  local name="$1" cert
  cert="$(node_cert_of "$name")"
  printf '%s\n' --tls-ca "$(tls_dir)/ca.pem" --tls-cert "$cert.pem" --tls-key "$cert-key.pem"
  if [[ "$(kind_of "$name")" == controller ]]; then
    printf '%s\n' --tls-client-auth required
  else
    printf '%s\n' --tls-client-auth none
  fi
  printf '%s\n' --require-authentication --authorizer standard --super-users "$SUPER_USERS"
  if [[ "$(kind_of "$name")" == controller ]]; then
    printf '%s\n' --bootstrap-scram-user "$ADMIN_USER" --bootstrap-scram-password-file "$(tls_dir)/admin-password"
  fi
}

# Makes DIR/tls (once) and writes DIR/client.env and DIR/kcat.conf for this base port.
ensure_security_files() {
  local tls
  tls="$(tls_dir)"
  if [[ ! -f "$tls/ca.pem" || ! -f "$tls/node-6-key.pem" || ! -f "$tls/client-$ADMIN_USER-key.pem" ]]; then
    [[ -f "$TRIB_BIN" ]] || die "trib not built ($TRIB_BIN missing): run \`npm run build\` first"
    "$NODE" "$TRIB_BIN" dev-certs "$tls" --nodes 6 --clients "$ADMIN_USER" >/dev/null ||
      die "trib dev-certs $tls failed"
    echo "cluster.sh: made a CA and certificates in $tls (trib dev-certs)"
  fi
  if [[ ! -s "$tls/admin-password" ]]; then
    (umask 077 && "$NODE" -e \
      'process.stdout.write(require("node:crypto").randomBytes(18).toString("base64url") + "\n")' \
      >"$tls/admin-password")
  fi
  # client.env reads the password from its file when sourced: it is never copied there.
  (
    umask 077
    cat >"$DIR/client.env" <<EOF
# source $DIR/client.env: trib then talks to this cluster as $ADMIN_USER (TLS with the admin client
# certificate, which the controllers want, and SCRAM). Written by deploy/local/cluster.sh start.
export TRIB_BOOTSTRAP=$(brokers)
export TRIB_CONTROLLERS=$(controllers)
export TRIB_TLS_CA=$tls/ca.pem
export TRIB_TLS_CERT=$tls/client-$ADMIN_USER.pem
export TRIB_TLS_KEY=$tls/client-$ADMIN_USER-key.pem
export TRIB_USER=$ADMIN_USER
TRIB_PASSWORD="\$(head -n 1 '$tls/admin-password')"
export TRIB_PASSWORD
EOF
    cat >"$DIR/kcat.conf" <<EOF
# kcat -F $DIR/kcat.conf -b $HOST:$((BASE_PORT + 30)) -L      (librdkafka properties: SASL_SSL as $ADMIN_USER)
security.protocol=SASL_SSL
sasl.mechanisms=SCRAM-SHA-256
sasl.username=$ADMIN_USER
sasl.password=$(head -n 1 "$tls/admin-password")
ssl.ca.location=$tls/ca.pem
EOF
  )
}

# The probe's TLS flags: the admin client certificate (health needs no rights, but the controllers' TLS
# handshake wants a certificate of the CA).
probe_tls_args() {
  [[ "$SECURE" == on ]] || return 0
  printf '%s\n' --tls-ca "$(tls_dir)/ca.pem" --tls-cert "$(tls_dir)/client-$ADMIN_USER.pem" \
    --tls-key "$(tls_dir)/client-$ADMIN_USER-key.pem"
}

print_how_to_connect() {
  local trib="node ${TRIB_BIN#"$ROOT/"}"
  if [[ "$SECURE" == on ]]; then
    cat <<EOF
cluster.sh: secure: TLS on every listener, authentication required, ACLs on (super users $SUPER_USERS).
  The CA, the certificates and the admin password are in $(tls_dir). To connect as $ADMIN_USER:
    source $DIR/client.env        # TRIB_TLS_*, TRIB_USER, TRIB_PASSWORD, TRIB_BOOTSTRAP, TRIB_CONTROLLERS
    $trib brokers list
    kcat -F $DIR/kcat.conf -b $HOST:$((BASE_PORT + 30)) -L
  (\`deploy/local/cluster.sh start --secure off\` runs a plaintext cluster without authentication instead.)
EOF
  else
    cat <<EOF
cluster.sh: NOT secure (--secure off): plaintext, no authentication, everything allowed. Connect with
    $trib --bootstrap $(brokers) brokers list
    kcat -b $HOST:$((BASE_PORT + 30)) -L
EOF
  fi
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
  if [[ "$SECURE" == on ]]; then security_args_of "$name"; fi
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
  local targets=() tls=()
  mapfile -t targets < <(probe_targets)
  mapfile -t tls < <(probe_tls_args)
  (cd "$ROOT" && "$NODE" "$PROBE" --deadline-ms 2000 "${tls[@]+"${tls[@]}"}" "${targets[@]}")
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
  if [[ "$SECURE" == on ]]; then ensure_security_files; fi
  printf 'BASE_PORT=%s\nMETRICS_SUPPORTED=%s\nSECURE=%s\n' "$BASE_PORT" "$METRICS_SUPPORTED" "$SECURE" \
    >"$DIR/cluster.env"
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
      print_how_to_connect
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

# SIGHUP to every running process: each re-reads its TLS files (new connections use them; bad files are
# logged and the old ones kept).
reload() {
  local name sent=0
  for name in "${NAMES[@]}"; do
    if is_running "$name"; then
      kill -HUP "$(pid_of "$name")" 2>/dev/null && sent=$((sent + 1))
    fi
  done
  echo "cluster.sh: sent SIGHUP to $sent processes under $DIR (each logs \"reloading\" and its TLS summary)"
  ((sent > 0))
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
  reload) reload ;;
  args)
    index_of "$ARGS_NAME" >/dev/null
    args_of "$ARGS_NAME"
    ;;
esac
