#!/bin/sh
# Packages the extension as lambdaform-<version>.vsix in this folder
# (<version> from package.json): installs the dependencies with npm, then
# runs @vscode/vsce, pinned in package.json's devDependencies. Needs Node.js
# 20 or later and the npm registry. Install the result with
# `code --install-extension lambdaform-<version>.vsix`.
set -eu
cd "$(dirname "$0")"
version=$(node -p "require('./package.json').version")
npm install --no-audit --no-fund --no-package-lock
# No LICENSE file or repository URL sits in this folder: say so instead of
# letting vsce stop to ask.
npx vsce package --skip-license --allow-missing-repository --out "lambdaform-$version.vsix"
echo "packaged editors/vscode/lambdaform-$version.vsix"
