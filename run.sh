#!/usr/bin/env bash
# ./run.sh demo            set up what is missing and record a synthetic live stream end to end (no cloud account)
# ./run.sh worker ARGS...  run the media worker (e.g. ./run.sh worker capture --source rtmp://... --output ./out)
# ./run.sh                 start the local service
# ./run.sh package [DIR]   publish the service and worker image folders for Azure (infra/bicep deploys them)
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
ensure_everything

worker_dll="src/Worker/bin/Release/net10.0/Recording.Worker.dll"
service_dll="src/Functions/bin/Release/net10.0/Recording.Functions.dll"
build() {
  local out
  out=$(dotnet build "$1" --no-restore --configuration Release --verbosity quiet -nologo 2>&1) || { echo "$out" >&2; return 1; }
}

# The local admin key: Recording__Keys__Admin__0 if set, else one generated once into .recording/admin.key (never printed).
admin_key() {
  if [ -n "${Recording__Keys__Admin__0:-}" ]; then echo "$Recording__Keys__Admin__0"; return; fi
  mkdir -p .recording
  if [ ! -s .recording/admin.key ]; then
    (umask 077; head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > .recording/admin.key)
  fi
  cat .recording/admin.key
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_for_port() {
  for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

# The whole product on the embedded defaults: nginx-rtmp with a synthetic live source, the service (SQLite engine, local
# folder destination under .recording/demo), a recording started and stopped over HTTP, post-processed and listed.
demo() {
  build src/Worker/Worker.csproj
  build src/Functions/Functions.csproj
  local work rtmp_port service_port stream_url
  # Not local: the EXIT trap runs after demo() has returned, and with an empty list it killed nothing and then waited
  # on the servers for ever.
  pids=()
  # RECORDING_DEMO_DIR: where the demo's servers and recording live (the test of this command uses a folder of its own).
  work="${RECORDING_DEMO_DIR:-$(pwd)/.recording/demo}"
  rm -rf "$work" && mkdir -p "$work"
  rtmp_port=$(free_port)
  service_port=$(free_port)
  stream_url="rtmp://127.0.0.1:$rtmp_port/live/demo"
  cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
  trap cleanup EXIT

  log "local RTMP server on 127.0.0.1:$rtmp_port"
  scripts/local-rtmp.sh "$rtmp_port" "$work/nginx" & pids+=($!)
  wait_for_port "$rtmp_port"

  log "synthetic live source (testsrc2 + 440 Hz tone) -> $stream_url"
  ffmpeg -hide_banner -loglevel error -nostdin -re \
    -f lavfi -i "testsrc2=size=640x360:rate=25" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -c:v libx264 -preset ultrafast -tune zerolatency -g 50 -pix_fmt yuv420p -b:v 800k \
    -c:a aac -b:a 64k -f flv "$stream_url" 2>/dev/null & pids+=($!)

  log "recording service on http://127.0.0.1:$service_port (log: $work/service.log)"
  Recording__Keys__Admin__0="$(admin_key)" dotnet "$service_dll" --urls="http://127.0.0.1:$service_port" \
    --Recording:Local:DataDirectory="$work/service" --Recording:Templates:AllowShortSegments=true \
    > "$work/service.log" 2>&1 & pids+=($!)
  wait_for_port "$service_port"

  RECORDING_KEY="$(admin_key)" node scripts/demo-client.mjs "http://127.0.0.1:$service_port/" "$stream_url" 20
  log "assets are under $work/service/assets"
}

case "${1:-serve}" in
  demo) demo ;;
  worker) shift; build src/Worker/Worker.csproj; exec dotnet "$worker_dll" "$@" ;;
  package) shift; exec scripts/package-azure.sh "$@" ;;
  serve)
    build src/Worker/Worker.csproj
    build src/Functions/Functions.csproj
    log "serving on ${Recording__Http__Urls:-http://127.0.0.1:7071}; admin key (x-functions-key) in .recording/admin.key unless Recording__Keys__Admin__0 is set"
    Recording__Keys__Admin__0="$(admin_key)" exec dotnet "$service_dll" "${@:2}" ;;
  *) sed -n '2,5p' "$0" | sed 's/^# //' >&2; exit 2 ;;
esac
