// Finds (or, on Debian as root, installs) the outside programs the e2e suite needs:
// a Chromium for Playwright, oathtool for TOTP codes, zbarimg for reading QR codes.
// Usable on its own (`node e2e/ensure-tools.mjs`) or imported by run-all.mjs.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

const HELPER_TOOLS = [
  { name: "oathtool", aptPackage: "oathtool", why: "computes TOTP codes as an authenticator app would" },
  { name: "zbarimg", aptPackage: "zbar-tools", why: "decodes QR codes from screenshots as a phone would" },
];

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function findOnPath(name) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

async function playwrightChromium() {
  try {
    const { chromium } = await import("@playwright/test");
    const file = chromium.executablePath();
    return file && isExecutable(file) ? file : null;
  } catch {
    return null;
  }
}

export async function findChromium() {
  for (const name of ["CHROMIUM_PATH", "PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH"]) {
    const value = process.env[name];
    if (!value) continue;
    if (isExecutable(value)) return value;
    // An explicit setting that points nowhere is a mistake worth stopping for, not skipping.
    throw new Error(`${name}=${value} is not an executable file.`);
  }
  for (const file of CHROMIUM_CANDIDATES) {
    if (isExecutable(file)) return file;
  }
  return playwrightChromium();
}

function canInstallWithApt() {
  return fs.existsSync("/etc/debian_version") && typeof process.getuid === "function" && process.getuid() === 0;
}

function apt(args) {
  console.log(`$ apt-get ${args.join(" ")}`);
  const result = spawnSync("apt-get", args, {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`apt-get ${args[0]} exited with ${result.status ?? result.signal}`);
}

function howToGet(missing) {
  const lines = ["Missing tools for the e2e tests:"];
  for (const tool of missing) {
    if (tool.name === "chromium") {
      lines.push(
        "  - Chromium: install it (Debian/Ubuntu: `sudo apt-get install chromium`; macOS: install Google Chrome),",
        "    or set CHROMIUM_PATH=/path/to/chromium,",
        "    or, on a machine with internet access, run `npx playwright install chromium`.",
      );
    } else {
      lines.push(
        `  - ${tool.name} (${tool.why}): Debian/Ubuntu \`sudo apt-get install ${tool.aptPackage}\`; macOS \`brew install ${tool.name === "zbarimg" ? "zbar" : "oath-toolkit"}\`.`,
      );
    }
  }
  return lines.join("\n");
}

/** Resolves every tool, installing missing ones with one apt-get call where allowed. */
export async function ensureTools() {
  const missing = [];
  let chromiumPath = await findChromium();
  if (!chromiumPath) missing.push({ name: "chromium", aptPackage: "chromium" });
  for (const tool of HELPER_TOOLS) {
    if (!findOnPath(tool.name)) missing.push(tool);
  }

  if (missing.length > 0) {
    if (!canInstallWithApt()) throw new Error(howToGet(missing));
    const packages = missing.map((tool) => tool.aptPackage);
    console.log(`Installing missing packages: ${packages.join(" ")}`);
    apt(["update"]);
    apt(["install", "-y", ...packages]);
    chromiumPath = await findChromium();
    const stillMissing = [
      ...(chromiumPath ? [] : [{ name: "chromium", aptPackage: "chromium" }]),
      ...HELPER_TOOLS.filter((tool) => !findOnPath(tool.name)),
    ];
    if (stillMissing.length > 0) throw new Error(howToGet(stillMissing));
  }

  const tools = { chromiumPath, oathtool: findOnPath("oathtool"), zbarimg: findOnPath("zbarimg") };
  console.log(`chromium: ${tools.chromiumPath}\noathtool: ${tools.oathtool}\nzbarimg:  ${tools.zbarimg}`);
  return tools;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureTools().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
