#!/bin/sh
# Starts the materialized Rewind IDE on the build's X display (xvfb-run in build.sh) and uses it
# as a user would, with no test code inside it:
#   - as an unprivileged user (nobody, when this runs as root; else the current user), from a copy
#     of the product in that user's own home;
#   - with --debug on the counter example (built here with -g): the session must start, the
#     program stopped at main under the backend, with gdb;
#   - from the keyboard (xdotool): Step Over (F6) twice, Checkpoint (Ctrl+Alt+K), Step Over, and
#     Run > Debug Configurations (the launch dialog); each keystroke must show in the processes
#     (a stop makes the backend's snapshot for "Back to Previous Stop", a checkpoint one more);
#   - then the IDE is killed: the backend must take the program and its snapshots with it.
# Screenshots go to target/screenshots (rewind-ide.png, rewind-ide-session.png,
# rewind-ide-timeline.png, rewind-ide-launch-dialog.png; README shows copies from docs/images). Fails if a step does not
# happen or the IDE logged an error about Rewind.
set -eu
cd "$(dirname "$0")"
here=$(pwd)
ide=target/products/dev.rewind.ide/linux/gtk/x86_64
[ -n "${DISPLAY:-}" ] || { echo "smoke.sh: no X display (run the build under xvfb-run)" >&2; exit 1; }
grep -q '^dev.rewind.plugin,' "$ide/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info" \
    || { echo "smoke.sh: dev.rewind.plugin is not in the product" >&2; exit 1; }
command -v xdotool > /dev/null || { echo "smoke.sh: xdotool is not installed (build.sh installs it)" >&2; exit 1; }
mkdir -p target/screenshots
shots="$here/target/screenshots"
swt=$(ls "$ide"/plugins/org.eclipse.swt_*.jar "$ide"/plugins/org.eclipse.swt.gtk.linux.x86_64_*.jar | tr '\n' ':')

home=$(mktemp -d /tmp/rewind-ide-smoke.XXXXXX)
chmod 755 "$home"
cp -r "$ide" "$home/ide"
cp ../examples/c/counter.c "$home/"
(cd "$home" && gcc -O0 -g -o counter counter.c)
if [ "$(id -u)" = 0 ]; then
    # The user's own copy of the display's cookie: nobody cannot read root's.
    xauth -f "${XAUTHORITY:-$HOME/.Xauthority}" extract "$home/.Xauthority" "$DISPLAY"
    chown -R nobody:nogroup "$home"
    as_user="setpriv --reuid=nobody --regid=nogroup --clear-groups"
    user=nobody
else
    [ -z "${XAUTHORITY:-}" ] || cp "$XAUTHORITY" "$home/.Xauthority"
    as_user=""
    user=$(id -un)
fi
$as_user env HOME="$home" XAUTHORITY="$home/.Xauthority" DISPLAY="$DISPLAY" PATH="$PATH" \
    java -Xmx1g -jar "$home"/ide/plugins/org.eclipse.equinox.launcher_*.jar -data "$home/workspace" -nosplash \
    -perspective org.eclipse.debug.ui.DebugPerspective -rewindProgram "$home/counter" > target/ide.log 2>&1 &
pid=$!
cleanup() {
    kill $pid 2>/dev/null || true
    pkill -KILL -u "$user" -f "$home" 2>/dev/null || true
    rm -rf "$home"
}
trap cleanup EXIT

fail() {
    echo "smoke.sh: $*" >&2
    java -cp "$swt" src/smoke/Screenshot.java "$shots/rewind-ide-failed.png" > /dev/null 2>&1 || true
    echo "smoke.sh: the screen is in $shots/rewind-ide-failed.png; the IDE's output:" >&2
    cat target/ide.log >&2
    [ ! -f "$home/workspace/.metadata/.log" ] || cat "$home/workspace/.metadata/.log" >&2
    exit 1
}

# The workbench window's size (no window manager: set here) and so the screenshots'.
width=1280
height=860
screenshot() {
    java -cp "$swt" src/smoke/Screenshot.java "$shots/$1" $width $height 2>/dev/null || echo 0
}

# The program's processes: the live one and the backend's snapshots of it, all named counter.
counters() {
    pgrep -u "$user" -x counter | wc -l
}

# Waits up to $2 seconds for "$1" (a shell test) to hold.
await() {
    i=0
    while ! eval "$1"; do
        i=$((i + 1))
        [ $i -le $(($2 * 5)) ] || return 1
        kill -0 $pid 2>/dev/null || fail "the IDE exited"
        sleep 0.2
    done
}

# The window is up when the screen holds many colours (icons, text).
await '[ "$(screenshot rewind-ide.png)" -gt 50 ]' 120 || fail "no window was drawn in 120 s"
# The session: the program stopped at main (ptrace-stopped: state t) under the backend, with gdb.
await '[ "$(counters)" -ge 1 ] && grep -q "^State:.*t (tracing stop)" /proc/$(pgrep -u "$user" -x counter | head -n 1)/status' 90 \
    || fail "the --debug session did not start (no stopped counter process of $user)"
await 'pgrep -u "$user" -x gdb > /dev/null' 30 || fail "no gdb of $user drives the session"
xdotool search --name "Eclipse Platform" windowmove 0 0 windowsize $width $height
sleep 5 # the views fill in and lay out again
screenshot rewind-ide.png > /dev/null

# No window manager here: give the workbench the keyboard focus (and keep the pointer on it).
xdotool search --name "Eclipse Platform" windowfocus --sync
xdotool mousemove 640 400
sleep 1
# A keystroke made while the workbench is still busy with the last stop is dropped, as it would
# be for a user, who presses again: so does this, once, after 10 s.
key() {
    before=$(counters)
    xdotool key --delay 100 "$1"
    if ! await '[ "$(counters)" -gt "$before" ]' 10; then
        echo "smoke.sh: $2 ($1) had no effect in 10 s; pressing it again" >&2
        xdotool key --delay 100 "$1"
        await '[ "$(counters)" -gt "$before" ]' 30 || fail "$2 ($1) made no snapshot: still $before counter processes"
    fi
    sleep 2
}
key F6 "Step Over"
key F6 "Step Over"
key ctrl+alt+k "Checkpoint"
key F6 "Step Over"
xdotool key ctrl+alt+shift+t # Show Timeline
sleep 3
screenshot rewind-ide-session.png > /dev/null
xdotool key ctrl+m # maximize the active view, the Timeline, and back
sleep 2
screenshot rewind-ide-timeline.png > /dev/null
xdotool key ctrl+m
sleep 1

xdotool key alt+r # the Run menu, then its "Debug Configurations..." (mnemonic b)
sleep 1
xdotool key b
await 'xdotool search --name "Debug Configurations" > /dev/null' 30 || fail "the launch dialog did not open"
sleep 3
screenshot rewind-ide-launch-dialog.png > /dev/null
xdotool key Escape

log="$home/workspace/.metadata/.log"
if [ -f "$log" ] && grep -A3 '^!ENTRY' "$log" | grep -q 'dev\.rewind'; then
    fail "the IDE logged errors about Rewind"
fi

# The IDE goes away without a word (SIGKILL: no shutdown hooks): its backend sees its stdin end
# and must take the program and every snapshot with it.
kill -KILL $pid
await '[ "$(counters)" = 0 ]' 30 || fail "the program or its snapshots outlived the IDE: $(counters) counter processes"
echo "smoke.sh: the Rewind IDE ran a session as $user (launch, steps, a checkpoint, the launch dialog); screenshots in product/target/screenshots"
