#!/usr/bin/env bash
# Installs code-server (VS Code in a browser) from the npm registry into a cache folder and prints
# its launcher's path. Nothing is fetched from outside npm: code-server's postinstall would download
# ripgrep from GitHub, so it is installed with --ignore-scripts and the postinstall is done here by
# hand, with Debian's /usr/bin/rg in place of the downloaded one and the native modules built from
# source against the local Node headers (/usr/include/node; kerberos needs libkrb5-dev).
#
# Usage: install-code-server.sh CACHE_DIR   (prints CACHE_DIR/.../bin/code-server on stdout)
# The install is keyed by code-server version and Node major version (native modules follow
# Node's ABI), made in a temporary folder and renamed into place when complete, so an interrupted
# run leaves nothing half-built behind. Progress goes to stderr.
set -euo pipefail

VERSION=4.100.3 # the newest code-server whose `engines` accept Node 20 (VS Code 1.100)
cache=${1:?usage: install-code-server.sh CACHE_DIR}
node_major=$(node -p 'process.versions.node.split(".")[0]')
dest="$cache/code-server-$VERSION-node$node_major"
launcher="$dest/node_modules/code-server/out/node/entry.js"

if [ -f "$dest/.complete" ]; then
    echo "$launcher"
    exit 0
fi

say() { echo "install-code-server: $*" >&2; }
for tool in node npm rg cc make python3; do
    command -v "$tool" >/dev/null 2>&1 || { say "needs $tool"; exit 1; }
done

mkdir -p "$cache"
tmp=$(mktemp -d "$cache/.code-server-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
quiet=(--no-audit --no-fund --loglevel=error)
# Native modules: build from source against the local headers, never try a prebuilt download.
export npm_config_nodedir=/usr npm_config_build_from_source=true

say "npm install code-server@$VERSION (--ignore-scripts) into $dest"
(cd "$tmp" && npm install --ignore-scripts "${quiet[@]}" --prefix "$tmp" "code-server@$VERSION" >&2)
vscode="$tmp/node_modules/code-server/lib/vscode"

say "lib/vscode: npm install --omit=dev --ignore-scripts"
(cd "$vscode" && npm install --omit=dev --ignore-scripts "${quiet[@]}" >&2)

say "placing $(command -v rg) where @vscode/ripgrep expects its binary"
mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$vscode/node_modules/@vscode/ripgrep/bin/rg"

# node-pty's postinstall calls `npx node-gyp`; npm_config_yes lets npx take node-gyp from npm.
say "lib/vscode: npm rebuild (native modules from source; about 2 minutes on 2 cores)"
(cd "$vscode" && npm_config_yes=true npm rebuild "${quiet[@]}" >&2)
say "code-server: npm rebuild argon2"
(cd "$tmp" && npm rebuild argon2 "${quiet[@]}" >&2)

say "the rest of code-server's postinstall"
ln -sfn node_modules "$vscode/node_modules.asar"
(cd "$vscode/bin/remote-cli" && ln -sfn code-linux.sh code-server)
(cd "$vscode/bin/helpers" && ln -sfn browser-linux.sh browser.sh)
(cd "$vscode/extensions" && npm install --omit=dev "${quiet[@]}" >&2)

for module in node-pty/build/Release/pty.node @vscode/spdlog/build/Release/spdlog.node \
    native-watchdog/build/Release/watchdog.node kerberos/build/Release/kerberos.node; do
    [ -f "$vscode/node_modules/$module" ] || { say "missing $module after the rebuild"; exit 1; }
done
touch "$tmp/.complete"
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "$launcher"
