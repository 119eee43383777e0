#!/usr/bin/env bash
# ./run.sh demo            set up what is missing and record a synthetic live stream end to end (no cloud account)
# ./run.sh worker ARGS...  run the media worker (e.g. ./run.sh worker capture --source rtmp://... --output ./out)
# ./run.sh                 start the local service
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
ensure_everything

worker_dll="src/Worker/bin/Release/net10.0/Recording.Worker.dll"
build_worker() {
  dotnet build src/Worker/Worker.csproj --no-restore --configuration Release --verbosity quiet -nologo >&2
}

demo() {
  build_worker
  local work port stream_url out pids=()
  work="$(pwd)/.recording/demo"
  rm -rf "$work" && mkdir -p "$work"
  port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  stream_url="rtmp://127.0.0.1:$port/live/demo"
  out="$work/capture"
  cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
  trap cleanup EXIT

  log "local RTMP server on 127.0.0.1:$port"
  scripts/local-rtmp.sh "$port" "$work/nginx" & pids+=($!)
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

  log "synthetic live source (testsrc2 + 440 Hz tone) -> $stream_url"
  ffmpeg -hide_banner -loglevel error -nostdin -re \
    -f lavfi -i "testsrc2=size=640x360:rate=25" -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -c:v libx264 -preset ultrafast -tune zerolatency -g 50 -pix_fmt yuv420p -b:v 800k \
    -c:a aac -b:a 64k -f flv "$stream_url" & pids+=($!)

  log "recording 20 s in 5 s segments into $out"
  dotnet "$worker_dll" capture --source "$stream_url" --output "$out" --segment 5s --allow-short-segments \
    --max-duration 20s --resume-window 10s --id demo --allow-private-networks
  echo
  log "segments:"
  for f in "$out"/segment_*; do
    [ -f "$f" ] || continue
    printf '  %-28s %8s bytes  %ss\n' "$(basename "$f")" "$(stat -c %s "$f")" \
      "$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$f")"
  done
  log "manifest: $out/manifest.json"
}

case "${1:-serve}" in
  demo) demo ;;
  worker) shift; build_worker; exec dotnet "$worker_dll" "$@" ;;
  serve)
    if [ -f src/Functions/Functions.csproj ]; then
      exec dotnet run --project src/Functions/Functions.csproj --configuration Release
    fi
    echo "The HTTP service (src/Functions) is not built yet; try ./run.sh demo or ./run.sh worker --help." >&2
    exit 1 ;;
  *) sed -n '2,4p' "$0" | sed 's/^# //' >&2; exit 2 ;;
esac
