#!/usr/bin/env bash
# Downloads (does not install) the Vulkan loader's Debian package into .gl/ for the GPU machine, whose
# image has no Vulkan loader and reaches no package registry (the device README's recipe). amd64
# whatever this machine's processor is.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p .gl /tmp/amd64/partial
o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
apt-get "${o[@]}" update -qq
(cd .gl && apt-get "${o[@]}" download libvulkan1)
ls -la .gl
