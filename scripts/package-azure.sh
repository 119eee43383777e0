#!/usr/bin/env bash
# Publishes what Azure runs, one folder per image, each a docker build context with its Dockerfile:
#   service/  the Functions app root: host.json, one folder per function (function.json) and the self-contained
#             Recording.Functions executable that host.json names as the custom handler
#   worker/   the self-contained Recording.Worker, the capture job's entry point
# Usage: scripts/package-azure.sh [output folder, default artifacts/azure]. infra/bicep deploys the two images.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-$repo_root/artifacts/azure}")"
cd "$repo_root"

publish() {
  # A build tree of its own (--artifacts-path), so that packaging never rewrites the bin and obj folders that a local
  # build or a test run is using.
  dotnet publish "$1" --configuration Release --runtime linux-x64 --self-contained \
    --artifacts-path "$out/.build" --output "$2" --nologo --verbosity quiet
}

rm -rf "$out/service" "$out/worker"
publish src/Functions/Functions.csproj "$out/service"
# The publish carries the definitions in FunctionDefinitions/; the host wants each function folder at the root.
rm -rf "$out/service/FunctionDefinitions"
cp host.json "$out/service/"
for definition in src/Functions/FunctionDefinitions/*/; do
  cp -r "$definition" "$out/service/"
done
cp infra/docker/service.Dockerfile "$out/service/Dockerfile"

publish src/Worker/Worker.csproj "$out/worker"
cp infra/docker/worker.Dockerfile "$out/worker/Dockerfile"
rm -rf "$out/.build"
echo "$out/service and $out/worker are ready for docker build" >&2
