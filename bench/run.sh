#!/usr/bin/env bash
# Framewright's benchmark suite: our media pipeline against the ffmpeg CLI, and the platform's own overhead on the
# local stack. Writes BENCHMARKS.md at the repository root (raw results under bench/target/results/).
#
#   bench/run.sh [--quick] [--media-only | --platform-only] [--no-build] [--reps N]
#
#   --quick          under 10 minutes: media on a 20 s cut of the clip, 1 timed run per case, shorter load tests.
#                    Full mode: the 60 s clip with 3 timed runs per case, then 720p and thumbnails on the 4-minute
#                    clip (1 run each), and 60 s load tests
#   --media-only     skip the local-stack part (and the other way round with --platform-only)
#   --no-build       use the services as last built (default: ./mvnw package -DskipTests of what the bench needs)
#
# Needs: JDK 17+, and (installed here with apt-get when missing, as root) wrk, Debian's ffmpeg, GNU time, and the
# libraries the bytedeco ffmpeg CLI links against (libpulse0, libva).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
T="$ROOT/bench/target"

quick=false; media=true; platform=true; build=true; reps=""
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true ;;
    --media-only) platform=false ;;
    --platform-only) media=false ;;
    --no-build) build=false ;;
    --reps=*) reps="${arg#--reps=}" ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
$quick && : "${reps:=1}"
: "${reps:=3}"
started=$(date +%s)
mkdir -p "$T/inputs" "$T/results"
say() { echo "[bench $(date +%T)] $*"; }

# ---------------------------------------------------------------- tools
need_pkgs=()
command -v wrk >/dev/null || need_pkgs+=(wrk)
[ -x /usr/bin/ffmpeg ] || need_pkgs+=(ffmpeg)
[ -x /usr/bin/time ] || need_pkgs+=(time)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  say "installing ${need_pkgs[*]}"
  apt-get install -y --no-install-recommends "${need_pkgs[@]}" >/dev/null 2>&1 \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need_pkgs[@]}" >/dev/null; }
fi

# ---------------------------------------------------------------- build
if $build; then
  say "building the services (./mvnw -o -q package -DskipTests)"
  ./mvnw -o -q -B -DskipTests package -pl job-events,local-stack,job-api,transcoder,status-projector -am
fi
APP="$ROOT/transcoder/target/quarkus-app"
MEDIA_CP="$T/media-classes:$APP/app/*:$APP/lib/main/*"
PLATFORM_CP="$T/platform-classes:$ROOT/local-stack/target/local-stack.jar"
rm -rf "$T/media-classes" "$T/platform-classes"
javac -nowarn -d "$T/media-classes" -cp "$APP/app/*:$APP/lib/main/*" bench/src/media/dev/framewright/bench/*.java
javac -nowarn -d "$T/platform-classes" -cp "$ROOT/local-stack/target/local-stack.jar" \
  bench/src/platform/dev/framewright/bench/*.java 2>&1 | grep -v '^Note:' || true

# ---------------------------------------------------------------- the peer: ffmpeg from the bytedeco GPL jar
PEER="$(java -cp "$MEDIA_CP" dev.framewright.bench.MediaBench --print-peer)"
missing="$(LD_LIBRARY_PATH="$(dirname "$PEER")" ldd "$PEER" | awk '/not found/ {print $1}')"
if [ -n "$missing" ]; then
  say "the bytedeco ffmpeg misses: $missing; installing libpulse0 libva2 libva-drm2 libva-x11-2"
  apt-get install -y --no-install-recommends libpulse0 libva2 libva-drm2 libva-x11-2 >/dev/null 2>&1 \
    || { apt-get update >/dev/null && apt-get install -y --no-install-recommends libpulse0 libva2 libva-drm2 libva-x11-2 >/dev/null; }
fi
"$PEER" -hide_banner -version | head -1

# ---------------------------------------------------------------- inputs (generated once, cached)
gen_clip() { # seconds file: 1080p30 testsrc2 + stereo 440 Hz sine, H.264 High (a keyframe every 2 s) + AAC, MP4
  [ -s "$T/inputs/$2" ] && return
  say "generating $2 ($1 s of 1080p30 + audio)"
  "$PEER" -hide_banner -loglevel error -nostdin -y -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=$1" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=$1" -c:v libx264 -preset veryfast -crf 20 -g 60 \
    -pix_fmt yuv420p -c:a aac -b:a 128k -ac 2 -movflags +faststart -shortest "$T/inputs/$2.tmp.mp4"
  mv "$T/inputs/$2.tmp.mp4" "$T/inputs/$2"
}
gen_clip 5 warmup.mp4
if $quick; then gen_clip 20 clip-20s.mp4; clip=clip-20s.mp4; else gen_clip 60 clip-60s.mp4; clip=clip-60s.mp4; fi
$quick || gen_clip 240 clip-4min.mp4
if [ ! -s "$T/inputs/image-12mp.jpg" ]; then # 4000x3000 with noise, so it weighs like a photo (~2 MB)
  "$PEER" -hide_banner -loglevel error -nostdin -y -f lavfi -i "testsrc2=size=4000x3000" -vf "noise=alls=12:allf=u" \
    -frames:v 1 -q:v 3 "$T/inputs/image-12mp.jpg"
fi
[ -s "$T/inputs/tiny.jpg" ] || "$PEER" -hide_banner -loglevel error -nostdin -y -f lavfi -i "testsrc2=size=320x240" \
  -frames:v 1 -q:v 3 "$T/inputs/tiny.jpg"

# ---------------------------------------------------------------- machine
{
  echo "{\"nproc\": $(nproc), \"cpu\": \"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')\","
  echo " \"ram_gb\": $(awk '/MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo),"
  echo " \"jdk\": \"$(java -version 2>&1 | head -1 | sed 's/"/\\"/g')\","
  echo " \"ffmpeg_bytedeco\": \"$("$PEER" -hide_banner -version | head -1)\","
  echo " \"ffmpeg_debian\": \"$(/usr/bin/ffmpeg -hide_banner -version | head -1)\","
  echo " \"wrk\": \"$(wrk -v 2>&1 | head -1)\", \"kernel\": \"$(uname -r)\","
  echo " \"command\": \"bench/run.sh $*\", \"quick\": $quick, \"reps\": $reps, \"date\": \"$(date -u +%FT%TZ)\","
  echo " \"load_average_start\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}"
} > "$T/results/machine.json"

# ---------------------------------------------------------------- media
if $media; then
  rm -f "$T/results/media.jsonl" "$T/results/media-4min.jsonl"
  cases="720p,3renditions,hls,thumbs,remux,image"
  say "media cases on $clip, $reps timed run(s) each, alternating with the ffmpeg CLIs"
  java -Xmx512m -cp "$MEDIA_CP" dev.framewright.bench.MediaBench --inputs "$T/inputs" --work "$T/work" \
    --results "$T/results/media.jsonl" --reps "$reps" --cases "$cases" --clip "$clip" --peer "$PEER" \
    --debian /usr/bin/ffmpeg
  if ! $quick; then
    say "media: 720p and thumbnails on the 4-minute clip"
    java -Xmx512m -cp "$MEDIA_CP" dev.framewright.bench.MediaBench --inputs "$T/inputs" --work "$T/work" \
      --results "$T/results/media-4min.jsonl" --reps 1 --cases "720p,thumbs" --clip clip-4min.mp4 \
      --peer "$PEER" --debian /usr/bin/ffmpeg
  fi
fi

# ---------------------------------------------------------------- platform
if $platform; then
  rm -f "$T/results/platform.jsonl"
  say "platform cases on the local stack"
  java -Xmx1g -cp "$PLATFORM_CP" dev.framewright.bench.PlatformBench --root "$ROOT" --work "$T/platform" \
    --inputs "$T/inputs" --results "$T/results/platform.jsonl" --quick "$quick" --peer "$PEER" --clip "$clip"
fi

python3 bench/report.py "$T/results" > "$ROOT/BENCHMARKS.md"
say "done in $(( $(date +%s) - started )) s; wrote BENCHMARKS.md"
