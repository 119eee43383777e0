#!/usr/bin/env bash
# Starts a foreground nginx with the RTMP module on 127.0.0.1:$1 under the folder $2 (config, logs, pid).
# Used by the demo; tests start their own through tests/TestSupport/NginxRtmpServer.cs.
set -euo pipefail
port="$1" dir="$2"
module=""
for candidate in /usr/lib/nginx/modules/ngx_rtmp_module.so /usr/share/nginx/modules/ngx_rtmp_module.so; do
  [ -f "$candidate" ] && module="$candidate" && break
done
[ -n "$module" ] || { echo "ngx_rtmp_module.so not found (apt package libnginx-mod-rtmp)" >&2; exit 1; }
mkdir -p "$dir"
cat > "$dir/nginx.conf" <<CONF
load_module $module;
daemon off;
master_process off;
worker_processes 1;
error_log $dir/error.log warn;
pid $dir/nginx.pid;
events { worker_connections 256; }
rtmp {
  server {
    listen 127.0.0.1:$port;
    chunk_size 4096;
    application live { live on; record off; wait_key on; wait_video on; }
  }
}
CONF
exec nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
