#!/usr/bin/env bash
# Opens an html report in headless Chromium, saves a screenshot and fails
# when the page logged anything to the browser console (errors included).
#
#   scripts/html-screenshot.sh REPORT.html [SHOT.png]
#
# Needs Debian's `chromium` (apt-get install -y chromium). Exit status: 0 a
# clean page, 1 console output or no screenshot, 2 no browser.
set -euo pipefail

html=${1:?usage: scripts/html-screenshot.sh REPORT.html [SHOT.png]}
png=${2:-${html%.html}.png}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    echo "html-screenshot: no chromium on PATH (apt-get install -y chromium)" >&2
    exit 2
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
log="$profile/chromium.log"
rm -f "$png"

# A fresh profile and no background traffic: the page must render offline.
"$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --enable-logging=stderr --v=0 \
    --screenshot="$png" --window-size=1280,2000 \
    "file://$(realpath "$html")" 2>"$log" || {
    cat "$log" >&2
    exit 1
}

# Chromium logs every console message of the page as INFO:CONSOLE.
if grep -E ':CONSOLE[:(]' "$log" >&2; then
    echo "html-screenshot: $html logged to the console (above)" >&2
    exit 1
fi
if [ ! -s "$png" ]; then
    echo "html-screenshot: no screenshot was written" >&2
    exit 1
fi
echo "$png"
