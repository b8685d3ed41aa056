#!/usr/bin/env bash
# The GPU check on a lent GPU machine (docs/gpu.md, "Measuring on a GPU"). Prepared here, run there:
#   here:  node scripts/gpu/pack.mjs            (.gpu/nnlab-gpu.tgz: Node, bundles, Dawn; ~45 MiB)
#          fetch the Vulkan loader into .gl/    (see docs/gpu.md)
#   there: bash scripts/gpu/device.sh [--quick] with .gl and .gpu carried; results land in $OUT
# Steps: Vulkan loader and NVIDIA's Vulkan driver → GPU, driver and Vulkan facts → bench/gpu-check
# (same seed on cpu, wasm and webgpu: losses must agree) → npm run bench's script with webgpu loaded.
# Exit: 0 all good; otherwise the first failing step's code. Rehearse it without a GPU:
#   bash scripts/gpu/rehearse.sh
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:-$(mktemp -d)}
quick=
[ "${1:-}" = --quick ] && quick=--quick
say() { printf '== %s\n' "$*"; }

# 1. The Vulkan loader: the GPU machine's image has none; the .deb files travel in .gl (unpacked into /,
#    as the device README says; never on a machine that has its own).
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1 '; then
  if compgen -G "$here/.gl/*.deb" >/dev/null; then
    for f in "$here"/.gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
  else
    say "no Vulkan loader here and no .gl/*.deb to unpack: webgpu will say so"
  fi
fi
# NVIDIA's Vulkan driver manifest, where the driver's read-only mount keeps it
nv=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$nv" ]; then export VK_DRIVER_FILES=$nv; fi

# 2. What machine this is
{
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-} NNLAB_DAWN_FLAGS=${NNLAB_DAWN_FLAGS:-} NNLAB_WEBGPU_ALLOW_SOFTWARE=${NNLAB_WEBGPU_ALLOW_SOFTWARE:-}"
  [ -n "${VK_DRIVER_FILES:-}" ] && cat "$VK_DRIVER_FILES"
  ldconfig -p | grep -E 'libvulkan\.so\.1 |libEGL\.so\.1 ' || true
  uname -srm
} 2>&1 | tee "$OUT/machine.txt"

# 3. Unpack Node, the bundles and Dawn away from the carried tree
work=$(mktemp -d /tmp/nnlab-gpu.XXXXXX)
tar -xzf "$here/.gpu/nnlab-gpu.tgz" -C "$work" || { say "cannot unpack $here/.gpu/nnlab-gpu.tgz: run node scripts/gpu/pack.mjs here first"; exit 3; }
cd "$work" || exit 3
export PATH="$work/bin:$PATH"
say "node $(node --version) in $work"

# 4. Same seed on cpu, wasm and webgpu
node dist/gpu-check.cjs $quick --out "$OUT/gpu-check.json" 2>&1 | tee "$OUT/gpu-check.log"
check=${PIPESTATUS[0]}
say "gpu-check exit $check"

# 5. The benchmark, webgpu among the backends it loads (bounded: the device time is short)
NNLAB_BENCH_WORKER=dist timeout "${NNLAB_BENCH_TIMEOUT:-360}" node dist/bench.cjs $quick 2>&1 | tee "$OUT/bench.log"
bench=${PIPESTATUS[0]}
for f in bench/results/*.json; do [ -f "$f" ] && cp "$f" "$OUT/bench.json"; done
say "bench exit $bench; results in $OUT"
[ "$check" -ne 0 ] && exit "$check"
exit "$bench"
