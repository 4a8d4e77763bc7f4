// Builds dist/fin.so with make (cc, make, pkg-config and SQLite's headers:
// Debian's build-essential, pkg-config, libsqlite3-dev) unless the package
// already holds a binary built for this platform: `npm pack` puts one in
// (prepack, --force), and `npm install` of the tarball keeps it where the
// platform matches and builds from the bundled sources elsewhere.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const lib = path.join(root, "dist", "fin.so");
const stamp = path.join(root, "dist", "platform.txt");
const platform = `${process.platform}-${process.arch}`;

const force = process.argv.includes("--force");
const built = fs.existsSync(lib) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8").trim() === platform;
if (!force && built) process.exit(0);
try {
  fs.rmSync(lib, { force: true });
  execFileSync("make", ["dist/fin.so"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
} catch (e) {
  console.error(`sqlite-fin: cannot build the extension for ${platform} (${e.message}); ` +
    "it needs make, a C compiler, pkg-config and SQLite's headers (Debian: build-essential pkg-config libsqlite3-dev)");
  process.exit(1);
}
fs.writeFileSync(stamp, platform + "\n");
