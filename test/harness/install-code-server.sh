#!/usr/bin/env bash
# Installs what the extension-host tests run on: code-server 4.100.3 (VS Code 1.100.3, the last release for
# Node 20) from the npm registry, with Debian's chromium and ripgrep; nothing is downloaded from GitHub.
# Idempotent: returns at once when that version is already installed.
# Usage: test/harness/install-code-server.sh [DEST]
#   DEST defaults to $XERO_VSCODE_CACHE/code-server, XERO_VSCODE_CACHE to $HOME/.cache/xero-invoice-vscode
#   (outside the repository, so `npm ci` and git never see it).
# Needs Debian/Ubuntu, node 20 + npm, python3/make/g++ for node-gyp; apt-get (as root) when packages are missing.
set -euo pipefail
CACHE="${XERO_VSCODE_CACHE:-${HOME:-/tmp}/.cache/xero-invoice-vscode}"
DEST="${1:-$CACHE/code-server}"
CODE_SERVER_VERSION=4.100.3
# code-server 4.100.3 pins @vscode/ripgrep 1.15.11, whose postinstall fetches release v13.0.0-10.
RG_PKG_VERSION=1.15.11
RG_TAG=v13.0.0-10

installed_version() {
  node -e "try{console.log(require('$DEST/node_modules/code-server/package.json').version)}catch{}" 2>/dev/null || true
}
if [ "$(installed_version)" = "$CODE_SERVER_VERSION" ] && command -v chromium >/dev/null && command -v rg >/dev/null; then
  echo "[harness] code-server $CODE_SERVER_VERSION already installed in $DEST"
  exit 0
fi

# 1. System packages: kerberos headers (code-server's native 'kerberos' module), ripgrep (instead of
#    @vscode/ripgrep's GitHub download) and the browser that hosts the workbench.
missing=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v rg >/dev/null || missing+=(ripgrep)
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "[harness] missing system packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "[harness] apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
fi

# 2. Seed @vscode/ripgrep's download cache with Debian's rg: its postinstall looks for
#    $TMPDIR/vscode-ripgrep-cache-<pkg version>/ripgrep-<tag>-<target>.tar.gz and untars it instead of downloading.
case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "[harness] unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RG_PKG_VERSION"
mkdir -p "$rg_cache"
stage="$(mktemp -d)"
cp "$(command -v rg)" "$stage/rg"
tar czf "$rg_cache/ripgrep-$RG_TAG-$RG_TARGET.tar.gz" -C "$stage" rg
rm -rf "$stage"

# 3. npm install. --unsafe-perm: code-server's postinstall refuses to run as root without it (npm 11 warns the
#    flag is unknown but still exports it). npm_config_yes=true: node-pty's postinstall runs 'npx node-gyp',
#    which is cancelled without a TTY when npm's 'yes' is false.
mkdir -p "$DEST"
cd "$DEST"
[ -f package.json ] || echo '{ "name": "xero-invoice-vscode-harness", "private": true }' > package.json
echo "[harness] npm install code-server@$CODE_SERVER_VERSION into $DEST (about a minute)"
npm_config_yes=true npm install --unsafe-perm --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"

# 4. Sanity checks.
cs="$DEST/node_modules/code-server"
test -x "$cs/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"
test -f "$cs/lib/vscode/node_modules/node-pty/build/Release/pty.node"
# A config file of its own: without one code-server writes a default under $HOME and says so on the terminal.
xdg="$(mktemp -d)"
printf 'auth: none\n' > "$xdg/config.yaml"
XDG_CONFIG_HOME="$xdg" "$DEST/node_modules/.bin/code-server" --config "$xdg/config.yaml" --version
rm -rf "$xdg"
