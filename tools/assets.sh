#!/usr/bin/env bash
# Install the pinned browser assets (package.json / package-lock.json) and copy the files the
# website serves into book/_vendor_static/vendor/, so the published site needs no network.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "error: npm is needed to install the website's assets (apt-get install npm)"; exit 1; }
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
out=book/_vendor_static/vendor
rm -rf "$out"
mkdir -p "$out/mathjax" "$out/widgets"
mj=node_modules/mathjax/es5
# MathJax: the TeX-to-CommonHTML component, the TeX extensions it may load on demand, its fonts,
# and the menu and accessibility components it loads at start.
mkdir -p "$out/mathjax/input/tex" "$out/mathjax/output/chtml/fonts"
cp "$mj/tex-chtml.js" "$out/mathjax/"
cp -r "$mj/input/tex/extensions" "$out/mathjax/input/tex/"
cp -r "$mj/output/chtml/fonts/woff-v2" "$out/mathjax/output/chtml/fonts/"
cp -r "$mj/ui" "$mj/a11y" "$out/mathjax/"
cp node_modules/requirejs/require.js "$out/require.js"
# embed-amd.js resolves its icon fonts next to itself.
cp node_modules/@jupyter-widgets/html-manager/dist/embed-amd.js "$out/"
find node_modules/@jupyter-widgets/html-manager/dist -maxdepth 1 \
  \( -name '*.woff' -o -name '*.woff2' -o -name '*.ttf' -o -name '*.eot' -o -name '*.svg' \) \
  -exec cp {} "$out/" \;
echo "browser assets: $(du -sh "$out" | cut -f1) in $out"
