#!/usr/bin/env bash
# Debian packages the project needs: WeasyPrint's libraries, fonts with Kazakh glyphs,
# gettext (compilemessages). With "test": also PostgreSQL, Redis, Chromium, poppler, npm (axe-core).
# With "load": wrk, the load tool of make load.
set -euo pipefail
want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core gettext)
if [ "${1:-}" = "test" ]; then
  want+=(postgresql redis-server chromium poppler-utils)
  # axe-core comes from npm; a Node.js install that ships its own npm is fine as it is.
  command -v npm >/dev/null 2>&1 || want+=(npm)
fi
[ "${1:-}" = "load" ] && want+=(wrk)
missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
