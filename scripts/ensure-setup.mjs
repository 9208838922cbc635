// Installs what ENA needs and is missing, with Node built-ins only (it runs before npm install).
// 1. Debian's Chromium, a Cyrillic font and poppler-utils (PDF tests) and Debian's PostgreSQL server (the
//    PostgreSQL suites start a throw-away cluster with its initdb/pg_ctl) when apt-get is usable as root.
// 2. npm packages when node_modules is missing or older than package-lock.json.
// 3. dist/ (compiled JavaScript and the browser bundle, scripts/build.mjs) when a source is newer.
// Chromium comes first so that Puppeteer's install step finds it and downloads nothing.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';

const browsers = [process.env.PUPPETEER_EXECUTABLE_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const hasBrowser = browsers.some((path) => path && existsSync(path));
const hasPdfText = existsSync('/usr/bin/pdftotext');
const hasPostgres = existsSync('/usr/lib/postgresql') && readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
const canApt = existsSync('/usr/bin/apt-get') && process.getuid?.() === 0;

function run(command) {
  console.log(`[ena setup] ${command}`);
  execSync(command, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

if ((!hasBrowser || !hasPdfText) && canApt) {
  run('apt-get update -qq');
  run('apt-get install -y -qq --no-install-recommends chromium fonts-noto-core poppler-utils');
} else if (!hasBrowser) {
  console.warn('[ena setup] No Chromium found and apt-get is not usable: Puppeteer will try to download its own browser.');
}

if (!hasPostgres && canApt) {
  if (hasBrowser && hasPdfText) run('apt-get update -qq');
  // The server binaries only: the package's own cluster is not used (tests make their own under a temp folder).
  run('apt-get install -y -qq --no-install-recommends postgresql');
} else if (!hasPostgres) {
  console.warn('[ena setup] No PostgreSQL server found (/usr/lib/postgresql/*/bin/initdb) and apt-get is not usable: the PostgreSQL test suites will fail. Install Debian\'s postgresql package.');
}

const installedMarker = 'node_modules/.package-lock.json';
const needsInstall = !existsSync(installedMarker)
  || (existsSync('package-lock.json') && statSync('package-lock.json').mtimeMs > statSync(installedMarker).mtimeMs);
if (needsInstall) {
  run(existsSync('package-lock.json') ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund');
}

// A few milliseconds when nothing changed (file times only); `npx ena` does the same check itself.
const { ensureBuilt } = await import('./build.mjs');
await ensureBuilt();
