#!/usr/bin/env bash
# Launcher of the Spark jobs (pitch, embed, mine) on this machine: builds sampler-spark's jar with the
# Maven Wrapper on first use (or when sources changed), then runs it on local[*] (or --master URL) with
# the Spark jars Maven resolved (the ones a cluster provides). On a cluster, the same jar goes to
# spark-submit --class io.speechsampler.spark.SparkMain sampler-spark/target/sampler-spark.jar ...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$ROOT/sampler-spark/target/sampler-spark.jar"
CLASSPATH_FILE="$ROOT/sampler-spark/target/spark-classpath.txt"
stale() {
  [ ! -f "$JAR" ] || [ ! -f "$CLASSPATH_FILE" ] && return 0
  [ -n "$(find "$ROOT" -maxdepth 4 \( -path "$ROOT/*/src/main" -o -name pom.xml \) -newer "$JAR" -print -quit 2>/dev/null)" ] && return 0
  [ -n "$(find "$ROOT"/*/src/main -newer "$JAR" -type f -print -quit 2>/dev/null)" ]
}
if stale; then
  echo "sampler-spark: building the Spark jobs' jar with ./mvnw (the first build downloads Spark, about 230 MB)..." >&2
  (cd "$ROOT" && ./mvnw -B -q -ntp -Dmaven.test.skip=true -pl sampler-spark -am package) >&2
fi
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
if [ -z "${MALLOC_TRIM_THRESHOLD_:-}${MALLOC_MMAP_THRESHOLD_:-}" ]; then
  export MALLOC_TRIM_THRESHOLD_=268435456 MALLOC_MMAP_THRESHOLD_=33554432
fi
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$HOME/.djl.ai}"
# a local master never leaves this machine: bind to loopback (and spare Spark's warning about this host's name)
MASTER=local
prev=
for a in "$@"; do
  case "$a" in --master=*) MASTER="${a#--master=}" ;; esac
  [ "$prev" = "--master" ] && MASTER="$a"
  prev="$a"
done
case "$MASTER" in local*) export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" ;; esac
# what Spark needs opened on JDK 17 (its launcher's JavaModuleOptions; as spark.jvm.options in sampler-spark/pom.xml)
OPENS=(-XX:+IgnoreUnrecognizedVMOptions)
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
OPENS+=(-Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)
exec java ${SAMPLER_JAVA_OPTS:--Xmx6g} "${OPENS[@]}" -Djava.awt.headless=true -Dai.djl.offline=true \
  -cp "$JAR:$(cat "$CLASSPATH_FILE")" io.speechsampler.spark.SparkMain "$@"
