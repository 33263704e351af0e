// Opens every page of a generated reference site in headless Chromium (Debian's `chromium`,
// driven by playwright-core): each renders its heading with no console error, failed request or
// request leaving file://, and the index's search finds a code by a pasted error text.
// Usage: node check.mjs SITE_DIR   (CHROMIUM overrides /usr/bin/chromium)
import { chromium } from "playwright-core";
import { readdirSync, statSync } from "node:fs";
import { join, resolve, relative } from "node:path";
import { pathToFileURL } from "node:url";

const site = resolve(process.argv[2] || "");
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

function pages(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pages(path);
    return name.endsWith(".html") ? [path] : [];
  });
}

// Real error texts as a user pastes them (with the surrounding noise) and the code each proves.
const searches = [
  ["en", "System.Net.WebException: The request failed with HTTP status 401: Unauthorized.\nMicrosoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.", "FB012"],
  ["sv", "Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Signeringscertifikat saknas.", "FB012"],
  ["en", "FB021", "FB021"],
];

const failures = [];
const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  let current = "";
  page.on("console", (m) => { if (m.type() === "error") failures.push(`${current}: console error: ${m.text()}`); });
  page.on("pageerror", (e) => failures.push(`${current}: script error: ${e.message}`));
  page.on("requestfailed", (r) => failures.push(`${current}: request failed: ${r.url()}`));
  page.on("request", (r) => { if (!r.url().startsWith("file:")) failures.push(`${current}: leaves the machine: ${r.url()}`); });

  const all = pages(site);
  if (all.length < 3) failures.push(`only ${all.length} pages under ${site}`);
  for (const path of all) {
    current = relative(site, path);
    await page.goto(pathToFileURL(path).href, { waitUntil: "load" });
    const heading = (await page.locator("h1").first().textContent({ timeout: 2000 }).catch(() => "")) || "";
    if (!heading.trim()) failures.push(`${current}: no heading rendered`);
  }

  for (const [lang, text, code] of searches) {
    current = `${lang}/index.html search`;
    await page.goto(pathToFileURL(join(site, lang, "index.html")).href);
    await page.fill("#q", text);
    const first = await page.locator("#results li").first().getAttribute("data-code", { timeout: 2000 }).catch(() => null);
    if (first !== code) failures.push(`${current}: ${JSON.stringify(text.slice(0, 60))} gave ${first}, expected ${code}`);
    else {
      await page.locator("#results li a").first().click();
      await page.waitForURL(new RegExp(`${code}\\.html$`));
    }
  }
  console.log(`${all.length} pages opened, ${searches.length} searches`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.log(failures.join("\n"));
  console.log(`FAIL: ${failures.length} problem(s)`);
  process.exit(1);
}
console.log("PASS");
