#!/bin/sh
# Builds Rewind and runs every test, from a fresh clone.
#   - As root on Debian/Ubuntu it first installs the system packages the build and the tests
#     need (gcc and make compile the C debuggees; gdb is the client the gdb tests drive; xvfb and
#     GTK run the Eclipse plugin's tests; xdotool types into the IDE product's smoke test), and
#     node and npm, which run cdt-gdb-adapter, the Debug Adapter Protocol front end of
#     DapFrontEndTest (optional for others).
#   - It installs cdt-gdb-adapter from npm into ~/.cache/rewind (once; the version is also in
#     backend/pom.xml's rewind.dapAdapter); without it that one test is skipped, saying so.
#   - Then it runs the whole Maven reactor through the wrapper (Maven 3.9 from Maven Central;
#     Debian's Maven 3.8 cannot run Tycho).
set -eu
cd "$(dirname "$0")"

PACKAGES="openjdk-17-jdk-headless gcc make libc6-dev gdb procps python3 xvfb xauth xdotool libgtk-3-0 curl unzip ca-certificates"

missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Optional: node and npm (DapFrontEndTest). NodeSource's nodejs brings its own npm; Debian's
# npm is a package of its own.
if [ "$(id -u)" = 0 ]; then
    command -v node > /dev/null 2>&1 || missing="$missing nodejs"
    command -v npm > /dev/null 2>&1 || missing="$missing npm"
fi
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "build.sh: installing$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q
        apt-get install -y -q --no-install-recommends $missing
    else
        echo "build.sh: these packages are missing:$missing" >&2
        echo "build.sh: install them (sudo apt-get install$missing) or run this script as root." >&2
        exit 1
    fi
fi

dap="$HOME/.cache/rewind/cdt-gdb-adapter-1.7.0"
if ! command -v npm > /dev/null 2>&1; then
    echo "build.sh: no npm: DapFrontEndTest will be skipped" >&2
elif [ ! -f "$dap/node_modules/cdt-gdb-adapter/dist/debugTargetAdapter.js" ]; then
    mkdir -p "$dap"
    npm install --prefix "$dap" --no-audit --no-fund --loglevel=error cdt-gdb-adapter@1.7.0 \
        || echo "build.sh: could not install cdt-gdb-adapter from npm: DapFrontEndTest will be skipped" >&2
fi

exec xvfb-run -a ./mvnw -B verify "$@"
