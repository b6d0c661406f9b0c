#!/bin/sh
# Starts the materialized Rewind IDE on the build's X display (xvfb-run in build.sh), waits
# until its window is drawn, saves a screenshot (target/screenshots/rewind-ide.png), checks
# that Rewind's plugin is installed and that the IDE logged no error about it, and stops it.
set -eu
cd "$(dirname "$0")"
ide=target/products/dev.rewind.ide/linux/gtk/x86_64
[ -n "${DISPLAY:-}" ] || { echo "smoke.sh: no X display (run the build under xvfb-run)" >&2; exit 1; }
grep -q '^dev.rewind.plugin,' "$ide/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info" \
    || { echo "smoke.sh: dev.rewind.plugin is not in the product" >&2; exit 1; }
ws=$(mktemp -d)
mkdir -p target/screenshots
java -jar "$ide"/plugins/org.eclipse.equinox.launcher_*.jar -data "$ws" -nosplash \
    -perspective org.eclipse.debug.ui.DebugPerspective > target/ide.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$ws"' EXIT
swt=$(ls "$ide"/plugins/org.eclipse.swt_*.jar "$ide"/plugins/org.eclipse.swt.gtk.linux.x86_64_*.jar | tr '\n' ':')
drawn=0
for i in $(seq 1 60); do
    sleep 2
    kill -0 $pid 2>/dev/null || { echo "smoke.sh: the IDE exited:" >&2; cat target/ide.log >&2; exit 1; }
    colours=$(java -cp "$swt" src/smoke/Screenshot.java target/screenshots/rewind-ide.png 2>/dev/null || echo 0)
    # The workbench window is up when the screen holds many colours (icons, text); give it a
    # few more seconds to lay out its views, then take the picture again.
    if [ "$colours" -gt 50 ]; then
        sleep 5
        java -cp "$swt" src/smoke/Screenshot.java target/screenshots/rewind-ide.png > /dev/null
        drawn=1
        break
    fi
done
[ $drawn = 1 ] || { echo "smoke.sh: no window was drawn in 120 s" >&2; cat target/ide.log >&2; exit 1; }
log="$ws/.metadata/.log"
if [ -f "$log" ] && grep -A3 '^!ENTRY' "$log" | grep -q 'dev\.rewind'; then
    echo "smoke.sh: the IDE logged errors about Rewind:" >&2
    cat "$log" >&2
    exit 1
fi
echo "smoke.sh: the Rewind IDE started; screenshot in product/target/screenshots/rewind-ide.png"
