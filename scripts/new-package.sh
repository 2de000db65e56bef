#!/usr/bin/env bash
# Scaffolds packages/NAME with the house tsconfig/vitest/package.json layout.
set -euo pipefail
name=$1; shift
dir=packages/$name
mkdir -p "$dir/src"
deps=""
for d in "$@"; do deps="$deps\"@tributary/$d\": \"*\","; done
deps=${deps%,}
cat > "$dir/package.json" <<JSON
{
  "name": "@tributary/$name",
  "version": "0.1.0",
  "private": true,
  "type": "module",
  "exports": { ".": { "types": "./dist/index.d.ts", "default": "./dist/index.js" } },
  "scripts": {
    "build": "tsc -p tsconfig.json",
    "typecheck": "tsc -p tsconfig.test.json",
    "test": "vitest run"
  },
  "dependencies": { $deps }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "rootDir": "src", "outDir": "dist", "tsBuildInfoFile": "dist/.tsbuildinfo" },
  "include": ["src/**/*.ts"],
  "exclude": ["src/**/*.test.ts", "src/**/*.itest.ts"]
}
JSON
cat > "$dir/tsconfig.test.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "noEmit": true, "composite": false, "incremental": false, "declaration": false, "declarationMap": false, "rootDir": "." },
  "include": ["src/**/*.ts", "vitest.config.ts"]
}
JSON
cat > "$dir/vitest.config.ts" <<TS
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
});
TS
