#!/usr/bin/env node
// The `ena` command. It runs the JavaScript compiled into dist/ (scripts/build.mjs), rebuilt here first
// when a source is newer, so that editing src/ and running `npx ena` never runs stale code.
import { ensureBuilt } from '../scripts/build.mjs';

await ensureBuilt({ quiet: true });
await import('../dist/cli/main.js');
