#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine, and nothing that is already there.
# Sourced by run.sh and test.sh; every step is idempotent.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '[setup] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

rtmp_module_present() {
  [ -f /usr/lib/nginx/modules/ngx_rtmp_module.so ] || [ -f /usr/share/nginx/modules/ngx_rtmp_module.so ]
}

ensure_apt_packages() {
  local missing=()
  command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
  command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
  command -v nginx >/dev/null 2>&1 || missing+=(nginx)
  rtmp_module_present || missing+=(libnginx-mod-rtmp)
  if [ ${#missing[@]} -eq 0 ]; then return 0; fi
  log "installing from apt: ${missing[*]}"
  # A package's postinst must not start a system nginx on port 80: our tests start their own.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null && as_root chmod +x "$policy" && created_policy=1
  fi
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$created_policy" -eq 1 ]; then as_root rm -f "$policy"; fi
}

ensure_npm_packages() {
  if [ -x "$repo_root/node_modules/.bin/azurite" ] && [ -x "$repo_root/node_modules/.bin/s3rver" ] \
     && [ "$repo_root/node_modules/.package-lock.json" -nt "$repo_root/package-lock.json" ]; then
    return 0
  fi
  log "installing npm packages from package-lock.json"
  (cd "$repo_root" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

ensure_dotnet_restore() {
  (cd "$repo_root" && dotnet restore Recording.sln --verbosity quiet >/dev/null)
}

ensure_everything() {
  ensure_apt_packages
  ensure_npm_packages
  ensure_dotnet_restore
}
