// Puppeteer reads this at install and at launch. Where a system Chromium exists (Debian's package,
// or PUPPETEER_EXECUTABLE_PATH) it is used and no browser is downloaded; elsewhere Puppeteer
// downloads its own as usual.
const { existsSync } = require('node:fs');

const candidates = [
  process.env.PUPPETEER_EXECUTABLE_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
].filter(Boolean);
const executablePath = candidates.find((path) => existsSync(path));

module.exports = executablePath ? { skipDownload: true, executablePath } : {};
