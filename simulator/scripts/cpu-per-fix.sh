#!/usr/bin/env bash
# CPU time per stored fix of the full server (embedded PostgreSQL included) on this machine (docs/performance.md,
# "CPU per stored fix"). Starts the server on a fresh data directory with 1,000 provisioned load devices, runs an
# unreported JIT warm-up, then one `load` run per rate (0 = as fast as acks allow), each reporting CPU per stored fix
# of the server and the database, then stops the server. Extra arguments are server settings (KUZET_*=value).
#   simulator/scripts/cpu-per-fix.sh "10000 50000 100000 0" KUZET_STORAGE_BATCH_MAX_ROWS=20000
# Environment: WARMUP (s, default 10), DURATION (s, default 20), JIT_S (unreported JIT warm-up run at 30,000/s, s, default
# 15), OUT (default target/cpu-per-fix), SERVER_JAVA_OPTS,
# SERVER_JAR and SIMULATOR_JAR (default: the ones under target/, e.g. to compare a saved build with a new one),
# KAFKA: put the journal on Kafka (journal.kind=kafka, a fresh topic of 12 partitions, replication 1): KAFKA=host:port
# uses that broker, KAFKA=start starts a one-broker KRaft Kafka as a child JVM (KafkaBrokerMain from the server's test
# classes; build them with the jars) and stops it at the end.
set -u
here="$(cd "$(dirname "$0")/../.." && pwd)"
rates=${1:-"10000 50000 100000 0"}; shift || true
jar=${SERVER_JAR:-"$here/server/target/kuzet-server.jar"}; sim=${SIMULATOR_JAR:-"$here/simulator/target/kuzet-simulator.jar"}
[ -f "$jar" ] && [ -f "$sim" ] || { echo "build first: mvn -B -q -pl server,simulator -am package -DskipTests" >&2; exit 1; }
FLAGS="-Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true --add-exports=java.base/jdk.internal.util=ALL-UNNAMED --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED --add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
out=${OUT:-"$here/target/cpu-per-fix"}; data="$out/data"; token=00112233445566778899aabbccddeeff
rm -rf "$data"; mkdir -p "$data"
broker=""; kafka_env=()
if [ -n "${KAFKA:-}" ]; then
  bootstrap=$KAFKA
  if [ "$KAFKA" = start ]; then
    cpfile="$here/server/target/test-classpath.txt"
    [ -s "$cpfile" ] || (cd "$here" && mvn -B -q -o -pl server dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$cpfile") || exit 1
    java -cp "$here/server/target/test-classes:$(cat "$cpfile")" io.kuzet.server.testing.KafkaBrokerMain > "$out/broker.log" 2>&1 &
    broker=$!
    for _ in $(seq 1 180); do grep -q '^bootstrap=' "$out/broker.log" && break; sleep 1; done
    bootstrap=$(sed -n 's/^bootstrap=//p' "$out/broker.log")
    [ -n "$bootstrap" ] || { echo "the Kafka broker did not start, see $out/broker.log" >&2; kill $broker; exit 1; }
  fi
  kafka_env=(KUZET_JOURNAL_KIND=kafka KUZET_KAFKA_BOOTSTRAP_SERVERS="$bootstrap" KUZET_KAFKA_TOPIC="load-$$-$RANDOM"
    KUZET_KAFKA_REPLICATION_FACTOR=1 KUZET_KAFKA_MIN_INSYNC_REPLICAS=1)
fi
java $FLAGS -jar "$sim" load --devices 1000 --write-provisioning "$out/load1000.yaml" >/dev/null
kport=$((20000 + RANDOM % 20000)); hport=$((kport + 1))
env KUZET_SERVER_DATA_DIR="$data" KUZET_SERVER_PROVISION_FILE="$out/load1000.yaml" KUZET_PORTS_KUZET=$kport KUZET_PORTS_HTTP=$hport \
  KUZET_PORTS_KUZET_TLS=-1 KUZET_PORTS_WATCH=-1 KUZET_PORTS_GT06=-1 KUZET_LIMITS_MAX_FIX_AHEAD_S=316224000 \
  KUZET_LIMITS_MAX_CONNECTIONS_PER_ADDRESS=100000 KUZET_LIVE_TOKEN=$token KUZET_API_ADMIN_PASSWORD=perf-admin-password \
  ${kafka_env[@]+"${kafka_env[@]}"} "$@" \
  java $FLAGS ${SERVER_JAVA_OPTS:-} -jar "$jar" > "$out/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; [ -z "$broker" ] || { kill $broker; wait $broker; } 2>/dev/null' EXIT
for _ in $(seq 1 600); do grep -q "Kuzet is up" "$out/server.log" && break; sleep 1; done
grep -q "Kuzet is up" "$out/server.log" || { echo "server did not start, see $out/server.log" >&2; exit 1; }
load() {
  java $FLAGS -jar "$sim" load --port $kport --http-port $hport --token $token --devices 1000 "$@"
}
load --duration $(( ${JIT_S:-15} - 5 )) --warmup 5 --rate 30000 --out "$out/jit" > "$out/jit.log" 2>&1   # JIT warm-up, not reported
for r in $rates; do
  load --duration ${DURATION:-20} --warmup ${WARMUP:-10} --rate $r --server-pid $server --server-data-dir "$data" \
    --out "$out/rate-$r" > "$out/rate-$r.log" 2>&1
  echo "rate=$r $(grep -h 'load: [0-9,]* positions/s\|CPU per stored' "$out/rate-$r.log" | tr '\n' ' ')"
  grep -h 'server CPU by thread' "$out/rate-$r.log"
  # METRICS=regex: the server's /metrics lines matching it right after the run (e.g. METRICS='kafka_producer_(request_latency|record_queue_time)_avg')
  [ -z "${METRICS:-}" ] || curl -s "http://127.0.0.1:$hport/metrics" | grep -E "$METRICS" | grep -v '^#' > "$out/rate-$r.metrics"

done
