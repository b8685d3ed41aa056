#!/usr/bin/env bash
# Rehearses scripts/gpu/device.sh on a machine without a GPU: packs .gpu/, copies it and the script to a
# scratch folder outside the repository (no node_modules there), and runs it with Dawn's OpenGL ES
# backend on Mesa llvmpipe (software, allowed only through NNLAB_WEBGPU_ALLOW_SOFTWARE). Needs Mesa's
# EGL and GLES (Debian: libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri).
#   bash scripts/gpu/rehearse.sh [--quick]     results in $OUT (default: a new folder under /tmp)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
node "$repo/scripts/gpu/pack.mjs"
scratch=$(mktemp -d /tmp/nnlab-gpu-rehearsal.XXXXXX)
mkdir -p "$scratch/scripts/gpu" "$scratch/.gpu"
cp "$repo/scripts/gpu/device.sh" "$scratch/scripts/gpu/"
cp "$repo/.gpu/nnlab-gpu.tgz" "$scratch/.gpu/"
export OUT=${OUT:-$scratch/out}
mkdir -p "$OUT"
# a clean environment: only what the device script gets there, plus the software-adapter switches
env -i HOME="$HOME" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin OUT="$OUT" \
  EGL_PLATFORM=surfaceless NNLAB_DAWN_FLAGS=backend=opengles NNLAB_WEBGPU_ALLOW_SOFTWARE=1 NNLAB_BENCH_TIMEOUT="${NNLAB_BENCH_TIMEOUT:-600}" \
  bash "$scratch/scripts/gpu/device.sh" "$@"
echo "rehearsal results: $OUT"; ls -la "$OUT"
