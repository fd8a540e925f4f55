#!/usr/bin/env bash
# Refresh the vendored Amsterdam Design System CSS (EUPL-1.2) from the npm registry.
# Usage: scripts/refresh-design-system.sh [css-version] [tokens-version]
# Only built CSS and licences are vendored; the proprietary Amsterdam Sans font is not
# (the tokens fall back to Arial).
set -euo pipefail
CSS_VERSION=${1:-4.5.0}
TOKENS_VERSION=${2:-4.4.0}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="$ROOT/coordinator/static/vendor/amsterdam"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cd "$WORK"
npm pack --silent "@amsterdam/design-system-css@$CSS_VERSION" "@amsterdam/design-system-tokens@$TOKENS_VERSION" >/dev/null
mkdir css tokens
tar xzf amsterdam-design-system-css-"$CSS_VERSION".tgz -C css
tar xzf amsterdam-design-system-tokens-"$TOKENS_VERSION".tgz -C tokens

mkdir -p "$DEST"
cp css/package/dist/index.css "$DEST/design-system.css"
cp tokens/package/dist/index.css "$DEST/tokens.css"
cp css/package/LICENSE.md "$DEST/LICENSE.md"
cat > "$DEST/VERSION" <<VERSIONS
@amsterdam/design-system-css $CSS_VERSION
@amsterdam/design-system-tokens $TOKENS_VERSION
Licence: EUPL-1.2 (LICENSE.md). Refreshed with scripts/refresh-design-system.sh.
VERSIONS
echo "vendored design system css $CSS_VERSION and tokens $TOKENS_VERSION into $DEST"
