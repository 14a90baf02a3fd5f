#!/usr/bin/env bash
# Real-window smoke test: start the release binary under Xvfb (no window manager), take a
# screenshot, click a cell, press Y and Ctrl+S, and check the saved file changed as expected.
# Usage: tests/smoke-x11.sh [screenshot.png]
set -euo pipefail
cd "$(dirname "$0")/.."
shot=${1:-target/smoke-x11.png}

need=()
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xdotool >/dev/null || need+=(xdotool)
command -v import >/dev/null || need+=(imagemagick)
# Mesa's software OpenGL and the X libraries winit loads at run time.
for lib in libGL.so.1 libEGL.so.1 libxkbcommon-x11.so.0 libXcursor.so.1 libXrandr.so.2 libXi.so.6; do
    ldconfig -p | grep -q "$lib" || need+=(libgl1 libegl1 libgl1-mesa-dri libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6)
done
if [ ${#need[@]} -gt 0 ]; then
    echo "smoke: installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/normgrid

work=$(mktemp -d)
cleanup() {
    [ -n "${app:-}" ] && kill "$app" 2>/dev/null || true
    [ -n "${xvfb:-}" ] && kill "$xvfb" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Own home: no preferences or recovery copies from earlier runs change the layout.
export HOME=$work/home XDG_DATA_HOME=$work/home/.local/share XDG_CONFIG_HOME=$work/home/.config
mkdir -p "$HOME"
cp sample-data/bpf-2019.ron "$work/shared.ron"

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
export DISPLAY=$display LIBGL_ALWAYS_SOFTWARE=1
sleep 1

"$bin" "$work/shared.ron" >"$work/app.log" 2>&1 &
app=$!
for _ in $(seq 1 60); do
    xdotool search --name "normgrid" >/dev/null 2>&1 && break
    sleep 0.5
done
if ! xdotool search --name "normgrid" >/dev/null 2>&1; then
    echo "smoke: FAILED: the window never appeared"; cat "$work/app.log"; exit 1
fi
sleep 2
mkdir -p "$(dirname "$shot")"
import -window root "$shot"

# The window must have drawn something: more than a handful of colours on screen.
colours=$(convert "$shot" -format '%k' info:)
if [ "$colours" -lt 50 ]; then
    echo "smoke: FAILED: the screenshot has only $colours colours"; exit 1
fi

row() { "$bin" summary "$work/shared.ron" --framework bpf2019-key-elements | grep '^MANRS '; }
before=$(row)

# MANRS / Specified CBMs: row 10, column 8 of the grid (see src/ui/grid/mod.rs for the geometry).
# Above the grid's 178 px header: the menu bar (25 px), then 122 px of toolbar, the chip row
# and the frameworks line (which also notes that nobody has assessed the UNGGE norms yet).
x=$((8 + 176 + 7 * 34 + 17))
y=$((25 + 122 + 178 + 9 * 22 + 11))
# With no window manager nothing gives the window keyboard focus; a person's click would.
wid=$(xdotool search --name "normgrid" | head -n 1)
xdotool windowfocus --sync "$wid"
xdotool mousemove "$x" "$y" click 1
sleep 0.5
xdotool key y
sleep 0.5
# The first edit asks "Who is editing?" (a fresh home has no name yet); the Y waits for it.
xdotool type --delay 50 "Smoke Test"
xdotool key Return
sleep 0.5
xdotool key ctrl+s
for _ in $(seq 1 20); do
    [ "$(row)" != "$before" ] && break
    sleep 0.5
done
after=$(row)
echo "before: $before"
echo "after:  $after"
# Fields 2..11 are the ten key elements; Specified CBMs is the 8th (field 9).
letters() { awk '{ s = ""; for (i = 2; i <= 11; i++) s = s $i; print s }'; }
expected=$(echo "$before" | awk '{ $9 = "Y"; print }' | letters)
if [ "$(echo "$after" | letters)" != "$expected" ] || [ "$(echo "$before" | letters)" = "$expected" ]; then
    echo "smoke: FAILED: expected MANRS / Specified CBMs to become Y after Y and Ctrl+S"
    exit 1
fi
[ -f "$work/shared.ron.bak" ] || { echo "smoke: FAILED: no .bak kept"; exit 1; }
echo "smoke: ok (screenshot: $shot)"
