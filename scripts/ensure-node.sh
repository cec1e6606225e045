#!/usr/bin/env bash
# Source this: puts Node 24 first on PATH. When the machine's node is older, it
# installs the npm registry's `node@24` package (which ships the binary) into
# .tools/node24 — no download from anywhere but the npm registry.
_simexit_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "${_simexit_major}" -lt 24 ]; then
  _simexit_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/node24"
  if [ ! -x "${_simexit_dir}/bin/node" ]; then
    echo "Node $(node -v 2>/dev/null || echo none) found; installing node@24 into ${_simexit_dir}" >&2
    npm install --global --prefix "${_simexit_dir}" --no-audit --no-fund node@24 >&2
  fi
  export PATH="${_simexit_dir}/bin:${PATH}"
fi
unset _simexit_major _simexit_dir
