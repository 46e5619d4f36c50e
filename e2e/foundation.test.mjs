// End-to-end: Glasnost as people use it, in Debian's Chromium driven by playwright-core.
// A staff member signs in and adds a subordinate organisation, the public page shows it; a
// roadmap is imported, marked and reported; a draft plan is discussed (a visitor comments, the
// editor corrects a measure and replies); a dataset is created, a wrong file refused with its line
// and column, the right one published with its files; an editor publishes news and a Word
// document and changes it twice, citizens read its text, versions and differences, feedparser
// reads the feeds; the version for the visually impaired stays on from page to page; axe-core
// finds no serious or critical accessibility violation on public pages; a citizen searches the
// portal from its home page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import zlib from "node:zlib";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
// Evaluated through the DevTools protocol: the pages' Content-Security-Policy forbids any script
// they carry themselves, and a test must not loosen it.
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const BIN = process.env.TEST_GLASNOST_BIN || path.resolve("target/debug/glasnost");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

let server, browser, base, dataDir, discussionUrl;
const EDITOR = { email: "editor@social.example", password: "редактор-пароль-2026" };
const APPEALS_OFFICER = { email: "appeals@social.example", password: "обращения-пароль-2026" };
// Each role's account, for the walk over every staff page (the admin's password is the demo's).
const STAFF = [["editor", EDITOR], ["appeals_officer", APPEALS_OFFICER]];

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function glasnostEnv(port) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("GLASNOST_")));
  // The compliance engine evaluates what changed every 2 s, so a decision shows within a journey.
  return { ...env, GLASNOST_DATA_DIR: dataDir, GLASNOST_BIND: `127.0.0.1:${port}`, GLASNOST_COMPLIANCE_SECS: "2" };
}

/** Adds a staff account to the suite's portal as an administrator does: by the command, the password on standard input. */
function addStaff(who, role, body = "social-protection", env = glasnostEnv(new URL(base).port)) {
  const add = spawnSync(BIN, ["user", "add", who.email, "--role", role, ...(body ? ["--body", body] : [])], {
    env, input: who.password + "\n", encoding: "utf8",
  });
  assert.equal(add.status, 0, add.stderr);
}

before(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "glasnost-e2e-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(BIN, ["serve", "--demo"], { env: glasnostEnv(port), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  server.stdout.on("data", (d) => (out += d));
  server.stderr.on("data", () => {});
  const started = Date.now();
  while (!out.includes("Glasnost: http://")) {
    if (Date.now() - started > 60000) throw new Error(`the server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const admin = out.match(/Администратор: (\S+)\s+Пароль \(показывается один раз\): (\S{20})/);
  assert.ok(admin, "the demo prints the admin password once");
  STAFF.push(["portal_admin", { email: admin[1], password: admin[2] }]);
  // Staff are created by scripts: the password comes from standard input.
  addStaff(EDITOR, "editor");
  addStaff(APPEALS_OFFICER, "appeals_officer");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
});

/** A Word document of these paragraphs: the three parts Word needs, in a zip without compression. */
function docx(paragraphs) {
  const esc = (t) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  const parts = [
    ["[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'],
    ["_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'],
    ["word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${esc(p)}</w:t></w:r></w:p>`).join("")}</w:body></w:document>`],
  ];
  const files = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of parts) {
    const data = Buffer.from(text, "utf8");
    const fname = Buffer.from(name, "utf8");
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fname.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0); entry.writeUInt16LE(20, 4); entry.writeUInt16LE(20, 6); entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt32LE(crc, 16); entry.writeUInt32LE(data.length, 20); entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(fname.length, 28); entry.writeUInt32LE(offset, 42);
    files.push(local, fname, data);
    central.push(entry, fname);
    offset += 30 + fname.length + data.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(parts.length, 8); end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(size, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...files, ...central, end]);
}

/** The text of a Word document's paragraphs, read from its zip (stored or deflated parts). */
function docxText(buffer) {
  const end = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buffer.readUInt16LE(end + 10);
  let at = buffer.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const method = buffer.readUInt16LE(at + 10);
    const size = buffer.readUInt32LE(at + 20);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extra = buffer.readUInt16LE(at + 30) + buffer.readUInt16LE(at + 32);
    const local = buffer.readUInt32LE(at + 42);
    const name = buffer.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    at += 46 + nameLength + extra;
    if (name !== "word/document.xml") continue;
    const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
    const data = buffer.subarray(start, start + size);
    const xml = (method === 8 ? zlib.inflateRawSync(data) : data).toString("utf8");
    return xml.replace(/<\/w:p>/g, "\n").replace(/<w:tab\/>/g, "\t").replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  }
  throw new Error("not a Word document");
}

/** Signs a staff member (the editor unless told) in on the page, from the sign-in form. */
async function signIn(page, who = EDITOR, at = base) {
  await page.goto(`${at}/staff/login`);
  await page.getByLabel("Электронная почта").fill(who.email);
  await page.getByLabel("Пароль").fill(who.password);
  await page.getByRole("button", { name: "Войти" }).click();
  await page.waitForURL(`${at}/staff/`);
}

/** Starts `glasnost` with these arguments and settings, waiting until it serves. */
async function startServer(args, env) {
  const child = spawn(BIN, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const started = Date.now();
  while (!out.includes("Glasnost: http://")) {
    assert.equal(child.exitCode, null, `the server stopped: ${out} ${err}`);
    if (Date.now() - started > 60000) throw new Error(`the server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

/** Stops a server started by `startServer`. */
async function stopServer(child) {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
}

/** Serious or critical axe-core violations on the page, at a desktop and a phone width. */
async function axeProblems(page) {
  const problems = [];
  for (const size of WIDTHS) {
    await page.setViewportSize(size);
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    for (const v of result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
      problems.push(`${page.url()} at ${size.width} px: ${v.id}: ${v.help}`);
    }
  }
  return problems;
}

test("a staff member signs in, adds a subordinate organisation, and the public page shows it", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  await page.getByRole("link", { name: "Вход для сотрудников" }).click();
  await page.getByLabel("Электронная почта").fill(EDITOR.email);
  await page.getByLabel("Пароль").fill(EDITOR.password);
  await page.getByRole("button", { name: "Войти" }).click();
  await page.waitForURL(`${base}/staff/`);
  await page.getByRole("link", { name: "Департамент социальной защиты", exact: true }).click();
  await page.getByRole("link", { name: "Добавить подведомственную организацию" }).click();
  await page.getByLabel("Полное наименование").fill("Областной реабилитационный центр «Надежда»");
  await page.getByLabel("Краткое наименование").fill("Центр «Надежда»");
  await page.getByLabel("Адрес раздела (латиница)").fill("nadezhda");
  await page.getByLabel("Приём граждан").fill("Среда 10:00–13:00");
  await page.getByRole("button", { name: "Сохранить" }).click();
  await page.waitForURL(`${base}/staff/o/nadezhda/?done=created`);
  assert.equal(await page.getByRole("status").textContent(), "Создано.");

  const visitor = await browser.newPage();
  await visitor.goto(`${base}/o/social-protection/`);
  const link = visitor.getByRole("link", { name: "Областной реабилитационный центр «Надежда»" });
  assert.equal(await link.count(), 1, "the parent's public page lists the new organisation");
  await link.click();
  await visitor.waitForURL(`${base}/o/nadezhda/`);
  assert.equal(await visitor.locator("h1").textContent(), "Областной реабилитационный центр «Надежда»");
  assert.match(await visitor.locator("main").textContent(), /Среда 10:00–13:00/);
  await page.close();
  await visitor.close();
});

test("a staff member imports seed 002 through the web page, marks a measure done with evidence, the public page shows it, and the .docx report has it", async () => {
  const page = await browser.newPage();
  await signIn(page);
  await page.goto(`${base}/staff/o/social-protection/roadmaps/`);
  await page.getByLabel("Название плана").fill("План мероприятий по открытости на 2017–2020 годы");
  await page.getByLabel("Файл плана").setInputFiles(path.resolve("crates/roadmap/tests/fixtures/002.txt"));
  await page.getByRole("button", { name: "Загрузить и проверить" }).click();
  await page.waitForURL(`${base}/staff/o/social-protection/roadmaps/import`);
  assert.equal(await page.locator("h1").textContent(), "Проверка плана перед сохранением");
  assert.equal(await page.locator("table.preview tbody tr").count(), 91, "every measure is in the preview");
  // Correct a cell before saving: measure 86's deadline.
  const deadline86 = page.getByLabel("Срок 86.");
  await deadline86.fill("2 квартал 2018 года");
  await page.getByRole("button", { name: "Сохранить план" }).click();
  await page.waitForURL(/\/staff\/o\/social-protection\/roadmaps\/\d+\?done=created$/);
  await page.getByLabel("Статус").selectOption("approved");
  await page.getByLabel("Утверждён актом").fill("распоряжение Департамента от 03.04.2017 № 149");
  await page.getByRole("button", { name: "Изменить статус" }).click();
  await page.waitForURL(/done=saved$/);
  // Mark measure 84 done, with a link to the page that proves it.
  await page.getByRole("link", { name: "Отметить 84." }).click();
  await page.getByLabel("За период").selectOption("I полугодие 2017");
  await page.getByLabel("Исполнение", { exact: true }).selectOption("done");
  await page.getByLabel("Дата").fill("2017-06-20");
  await page.getByLabel("Подтверждение — ссылки, по одной в строке").fill("https://dszn.tomsk.example/anticorruption/faq");
  await page.getByRole("button", { name: "Сохранить" }).click();
  await page.waitForURL(/done=saved#m\d+$/);

  const visitor = await browser.newPage();
  await visitor.goto(`${base}/o/social-protection/`);
  await visitor.getByRole("link", { name: "Открытость" }).click();
  await visitor.waitForURL(`${base}/o/social-protection/openness/`);
  const main = await visitor.locator("main").textContent();
  assert.match(main, /распоряжение Департамента от 03\.04\.2017 № 149/);
  assert.match(main, /Ведение на Сайте раздела с часто задаваемыми вопросами по противодействию коррупции/);
  assert.match(main, /до конца периода: II квартал 2018/, "the corrected cell was saved (no seed measure has this deadline)");
  const row84 = visitor.locator("tr", { hasText: "Ведение на Сайте раздела с часто задаваемыми вопросами по противодействию коррупции" });
  assert.match(await row84.textContent(), /исполнено, 2017-06-20 \(I полугодие 2017\)/);
  assert.equal(await row84.getByRole("link", { name: "подтверждение 1" }).getAttribute("href"), "https://dszn.tomsk.example/anticorruption/faq");
  // The 2017 execution report, downloaded as .docx: the measure and its status are in the document.
  await visitor.getByLabel("Год").fill("2017");
  await visitor.getByRole("button", { name: "Показать отчёт" }).click();
  await visitor.waitForURL(/\/openness\/report\?year=2017/);
  const [download] = await Promise.all([
    visitor.waitForEvent("download"),
    visitor.getByRole("link", { name: "Скачать отчёт (.docx)" }).click(),
  ]);
  const file = path.join(dataDir, "report.docx");
  await download.saveAs(file);
  const unzip = spawnSync("python3", ["-c", "import zipfile,sys; print(zipfile.ZipFile(sys.argv[1]).read('word/document.xml').decode())", file], { encoding: "utf8" });
  assert.equal(unzip.status, 0, unzip.stderr);
  const row = unzip.stdout.split("<w:tr").find((r) => r.includes(">84.<"));
  assert.ok(row, "measure 84 is in the report");
  const cells = row.replace(/<[^>]+>/g, "|").split("|").filter((t) => t.trim());
  assert.ok(cells.includes("исполнено"), `its status is in the report: ${cells.join(" / ")}`);
  assert.ok(cells.some((t) => t.startsWith("Ведение на Сайте раздела с часто задаваемыми вопросами")));
  await page.close();
  await visitor.close();
});

test("a draft plan is discussed: a visitor comments, the editor corrects a measure and replies, the visitor reads the reply", async () => {
  const page = await browser.newPage();
  await signIn(page);
  await page.goto(`${base}/staff/o/social-protection/roadmaps/`);
  await page.getByLabel("Название плана").fill("Проект плана мероприятий на 2027–2029 годы");
  await page.getByLabel("Файл плана").setInputFiles(path.resolve("crates/roadmap/tests/fixtures/002.txt"));
  await page.getByRole("button", { name: "Загрузить и проверить" }).click();
  await page.getByRole("button", { name: "Сохранить план" }).click();
  await page.waitForURL(/\/staff\/o\/social-protection\/roadmaps\/\d+\?done=created$/);
  const planUrl = page.url().split("?")[0];
  const until = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
  await page.getByLabel("Статус").selectOption("discussion");
  await page.getByLabel("Комментарии принимаются по (для обсуждения)").fill(until);
  await page.getByRole("button", { name: "Изменить статус" }).click();
  await page.waitForURL(/done=saved$/);

  const visitor = await browser.newPage();
  await visitor.goto(`${base}/o/social-protection/openness/`);
  await visitor.getByRole("link", { name: "Проект плана мероприятий на 2027–2029 годы" }).click();
  discussionUrl = new URL(visitor.url()).pathname;
  assert.match(discussionUrl, /^\/o\/social-protection\/openness\/discussion\/\d+$/);
  const comment = "Срок мероприятия 84 стоит сократить до первого квартала.";
  // Sent without consent first: refused, and the text is still there.
  const on84 = await visitor.locator("#f-unit option").filter({ hasText: /^84\. / }).getAttribute("value");
  await visitor.getByLabel("К чему комментарий").selectOption(on84);
  await visitor.locator("#f-text").fill(comment);
  await visitor.getByLabel("Подпись").fill("Мария Иванова");
  await visitor.getByRole("button", { name: "Отправить комментарий" }).click();
  assert.match(await visitor.getByRole("alert").textContent(), /согласия на обработку персональных данных/);
  assert.equal(await visitor.locator("#f-text").inputValue(), comment);
  await visitor.getByLabel(/Согласен на обработку моих персональных данных/).check();
  await visitor.getByRole("button", { name: "Отправить комментарий" }).click();
  assert.match(await visitor.getByRole("status").textContent(), /будет опубликован после проверки/);

  // The editor corrects measure 84 as proposed, then replies; the reply publishes the comment.
  await page.goto(planUrl);
  await page.getByRole("link", { name: "Изменить 84." }).click();
  await page.locator("#f-deadline").fill("I квартал 2027");
  await page.getByRole("button", { name: "Сохранить", exact: true }).click();
  await page.waitForURL(/done=saved#m\d+$/);
  await page.getByRole("link", { name: /Комментарии к проекту: 1, 1 ждут проверки/ }).click();
  await page.getByLabel("Ответ органа").fill("Спасибо, срок мероприятия 84 изменён на I квартал 2027 года.");
  await page.getByRole("button", { name: /Ответить и опубликовать/ }).click();
  await page.waitForURL(/comments\?done=saved#c\d+$/);

  await visitor.goto(`${base}${discussionUrl}`);
  const main = await visitor.locator("main").textContent();
  assert.match(main, /Мария Иванова/);
  assert.match(main, new RegExp(comment));
  assert.match(main, /Ответ органа.*Спасибо, срок мероприятия 84 изменён/s);
  assert.match(main, /до конца периода: I квартал 2027/, "the corrected deadline is on the public draft");
  await page.close();
  await visitor.close();
});

test("rule-making on a fixed clock: a notice, a .docx of three articles, a comment on article 2 that stays there in the next version, a window across the New Year that closes on its day, the body's position, the summary and its .docx", async () => {
  // A portal of its own, its clock at 09.12.2026 10:00 in Tomsk: a month from then ends on
  // 09.01.2027, a Saturday after the New Year holidays, so the discussion runs to Monday 11.01.
  const dir = mkdtempSync(path.join(os.tmpdir(), "glasnost-e2e-drafts-"));
  const port = await freePort();
  const at = `http://127.0.0.1:${port}`;
  const env = { ...glasnostEnv(port), GLASNOST_DATA_DIR: dir };
  let srv = await startServer(["serve", "--demo"], { ...env, GLASNOST_CLOCK: "2026-12-09T03:00:00Z" });
  const problems = [];
  try {
    const LAWYER = { email: "lawyer@social.example", password: "юрист-пароль-2026" };
    addStaff(LAWYER, "lawyer", "social-protection", env);
    const lawyer = await browser.newPage();
    await signIn(lawyer, LAWYER, at);
    await lawyer.goto(`${at}/staff/o/social-protection/`);
    await lawyer.getByRole("link", { name: "Проекты актов" }).first().click();
    await lawyer.getByLabel("Вид акта").selectOption("regulation");
    const title = "Об утверждении порядка личного приёма граждан";
    await lawyer.getByLabel("Наименование проекта акта").fill(title);
    await lawyer.getByLabel("Что меняет проект и зачем").fill("Приём граждан станет еженедельным.");
    await lawyer.getByRole("button", { name: "Разместить уведомление" }).click();
    await lawyer.waitForURL(/\/staff\/o\/social-protection\/drafts\/\d+\?done=created$/);
    const staffUrl = lawyer.url().split("?")[0];
    const v1 = ["ПРОЕКТ", "ПРИКАЗ", title, "Статья 1. Общие положения", "Порядок определяет, как принимаются граждане.",
      "Статья 2. Время приёма", "Приём ведётся по понедельникам с 9 до 13 часов.", "Статья 3. Вступление в силу",
      "Приказ вступает в силу со дня подписания."];
    const media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    await lawyer.getByLabel("Файл проекта (.docx, .odt или .pdf)").setInputFiles({ name: "Проект приказа.docx", mimeType: media, buffer: docx(v1) });
    await lawyer.getByRole("button", { name: "Загрузить", exact: true }).click();
    await lawyer.waitForURL(/done=version&units=3#text$/);
    assert.match(await lawyer.getByRole("status").textContent(), /Структурных единиц: 3/);
    assert.match(await lawyer.locator("main").textContent(), /с 09\.12\.2026 по 11\.01\.2027 включительно/);
    await lawyer.getByRole("button", { name: "Открыть общественное обсуждение сегодня" }).click();
    await lawyer.waitForURL(/done=opened$/);

    // A citizen finds it from the home page and comments on article 2.
    const citizen = await browser.newPage();
    await citizen.goto(`${at}/`);
    await citizen.getByRole("navigation", { name: "Разделы портала" }).getByRole("link", { name: "Проекты нормативных актов" }).click();
    await citizen.getByRole("link", { name: title }).click();
    const draftUrl = citizen.url();
    const main = await citizen.locator("main").textContent();
    assert.match(main, /с 09\.12\.2026 по 11\.01\.2027 включительно/);
    assert.match(main, /\+1 месяц → 09\.01\.2027; 09\.01\.2027 — суббота, переносится на следующий рабочий день 11\.01\.2027/);
    problems.push(...(await axeProblems(citizen)));
    await citizen.locator("#u-st2").getByRole("link", { name: /Прокомментировать/ }).click();
    assert.match(await citizen.getByLabel("К чему комментарий").inputValue(), /^\d+$/, "article 2 is chosen");
    const comment = "Предлагаю добавить приём по четвергам после 17 часов.";
    await citizen.locator("#f-text").fill(comment);
    await citizen.getByLabel("Подпись").fill("Мария Иванова");
    await citizen.locator("#f-email").fill("maria@example.org");
    await citizen.getByLabel(/Согласен на обработку моих персональных данных/).check();
    await citizen.getByRole("button", { name: "Отправить комментарий" }).click();
    assert.match(await citizen.getByRole("status").textContent(), /Мы отправили письмо со ссылкой/);
    const letter = await letterTo("maria@example.org", /Подтвердите|подтвердите/, dir);
    await citizen.goto(letter.match(/http:\/\/\S+\/confirm\/\S+/)[0]);
    assert.match(await citizen.getByRole("status").textContent(), /Адрес подтверждён/);

    // A second version: article 2 changes, the comment stays on it, against version 1.
    await lawyer.goto(staffUrl);
    const v2 = [...v1];
    v2[6] = "Приём ведётся по понедельникам и четвергам с 9 до 13 часов.";
    await lawyer.getByLabel("Файл проекта (.docx, .odt или .pdf)").setInputFiles({ name: "Проект приказа, ред. 2.docx", mimeType: media, buffer: docx(v2) });
    await lawyer.getByLabel("Что изменилось в этой редакции").fill("Добавлен четверг");
    await lawyer.getByRole("button", { name: "Загрузить", exact: true }).click();
    await lawyer.waitForURL(/done=version&units=3#text$/);
    await lawyer.goto(`${staffUrl}/comments`);
    await lawyer.getByRole("button", { name: /^Опубликовать № \d+$/ }).click();
    await lawyer.waitForURL(/comments\?done=saved#c\d+$/);
    await citizen.goto(draftUrl);
    const comments = await citizen.locator("#comments ~ article.comment").first().textContent();
    assert.match(comments, /Мария Иванова.*статья 2 \(к редакции 1\)/s);
    assert.match(comments, new RegExp(comment));
    assert.match(await citizen.locator("#u-st2").textContent(), /понедельникам и четвергам/);

    // 12.01.2027: the window has closed on its computed day; the form says so.
    await stopServer(srv);
    srv = await startServer(["serve"], { ...env, GLASNOST_CLOCK: "2027-01-12T03:00:00Z" });
    await citizen.goto(draftUrl);
    assert.match(await citizen.locator("main").textContent(), /обсуждение завершено/);
    assert.equal(await citizen.locator("#comment-form").count(), 0, "no form after the last day");
    problems.push(...(await axeProblems(citizen)));

    // The lawyer gives the body's position; the summary and its .docx show it.
    await signIn(lawyer, LAWYER, at);
    await lawyer.goto(`${staffUrl}/comments`);
    await lawyer.getByRole("radio", { name: "учтено частично" }).check();
    const reason = "Приём по четвергам добавлен, но до 13 часов.";
    await lawyer.getByLabel(/Обоснование позиции/).fill(reason);
    await lawyer.getByRole("button", { name: /Сохранить позицию и опубликовать/ }).click();
    await lawyer.waitForURL(/comments\?done=saved#c\d+$/);
    await citizen.goto(draftUrl);
    await citizen.getByRole("link", { name: "Сводка предложений по итогам обсуждения" }).click();
    const summary = await citizen.locator("main").textContent();
    assert.match(summary, new RegExp(comment));
    assert.match(summary, /учтено частично/);
    assert.match(summary, new RegExp(reason));
    problems.push(...(await axeProblems(citizen)));
    const file = await citizen.request.get(`${draftUrl}/summary.docx`);
    const text = docxText(Buffer.from(await file.body()));
    assert.match(text, /Сводка предложений/);
    assert.match(text, new RegExp(comment));
    assert.match(text, /учтено частично/);
    await lawyer.close();
    await citizen.close();
  } finally {
    await stopServer(srv);
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(problems, [], "each public page of the journey passes axe-core at 1366 and 390 px");
});

/** A real SMTP server (tests/smtp_sink.py) keeping every message whole in `folder`. */
async function startSmtp(folder) {
  const port = await freePort();
  const python = process.env.TEST_PYTHON || "python3";
  const child = spawn(python, [path.resolve("tests/smtp_sink.py"), "--port", String(port), "--out", path.join(folder, "received.txt"), "--keep", folder], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  while (!out.includes("ready")) {
    assert.equal(child.exitCode, null, "the SMTP sink stopped (is aiosmtpd installed?)");
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port };
}

test("a council meeting on a fixed clock: announced 5 days ahead is refused with the rule and the earliest day, 8 days ahead it is published; a citizen registers and confirms from a letter sent over real SMTP; the minutes are published and the public page shows the announcement, the stream and the minutes", async () => {
  // A portal of its own, its clock at 09.12.2026 10:00 in Tomsk: the earliest day for a meeting
  // announced today is 16.12.2026 (7 days' notice).
  const dir = mkdtempSync(path.join(os.tmpdir(), "glasnost-e2e-councils-"));
  const mail = path.join(dir, "smtp");
  mkdirSync(mail);
  const smtp = await startSmtp(mail);
  const port = await freePort();
  const at = `http://127.0.0.1:${port}`;
  const env = { ...glasnostEnv(port), GLASNOST_DATA_DIR: dir, GLASNOST_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, GLASNOST_WORKER_POLL_MS: "50" };
  let srv = await startServer(["serve", "--demo"], { ...env, GLASNOST_CLOCK: "2026-12-09T03:00:00Z" });
  const problems = [];
  try {
    const SECRETARY = { email: "secretary@social.example", password: "секретарь-пароль-2026" };
    addStaff(SECRETARY, "council_secretary", "social-protection", env);
    const secretary = await browser.newPage();
    await signIn(secretary, SECRETARY, at);
    await secretary.goto(`${at}/staff/o/social-protection/`);
    await secretary.locator('main a[href="/staff/o/social-protection/councils/"]').first().click();
    await secretary.locator('main a[href^="/staff/o/social-protection/councils/"]', { hasText: /^Общественный совет при Департаменте/ }).click();
    const form = secretary.locator("form", { has: secretary.getByRole("button", { name: "Опубликовать анонс" }) });
    const announce = async (date) => {
      await form.locator("[name=date]").fill(date);
      await form.locator("[name=starts]").fill("15:00");
      await form.locator("[name=ends]").fill("17:00");
      await form.locator("[name=place]").fill("634041, г. Томск, пр. Кирова, 41, зал заседаний");
      await form.locator("[name=agenda]").fill("1. О доступной среде в учреждениях соцзащиты — Козлов Андрей Иванович\n2. Разное");
      await form.locator("[name=capacity]").fill("20");
      await form.locator("[name=stream_url]").fill("https://video.example/council-december");
      await form.getByRole("button", { name: "Опубликовать анонс" }).click();
    };
    await announce("14.12.2026");
    const refusal = await secretary.getByRole("alert").textContent();
    assert.match(refusal, /не менее чем за 7 дней/, "the rule");
    assert.match(refusal, /не раньше 16\.12\.2026/, "the earliest allowed day");
    problems.push(...(await axeProblems(secretary)));
    await announce("17.12.2026");
    await secretary.waitForURL(/\/staff\/o\/social-protection\/councils\/meetings\/\d+\?done=announced$/);
    const staffMeeting = secretary.url().split("?")[0];
    const meetingPath = `/o/social-protection/councils/meetings/${staffMeeting.split("/").pop()}`;

    // A citizen finds the meeting from the home page and registers.
    const citizen = await browser.newPage();
    await citizen.goto(`${at}/`);
    await citizen.getByRole("link", { name: "Общественные советы и заседания" }).first().click();
    await citizen.getByRole("link", { name: "17.12.2026 15:00" }).click();
    assert.equal(new URL(citizen.url()).pathname, meetingPath);
    problems.push(...(await axeProblems(citizen)));
    await citizen.getByLabel("Фамилия, имя, отчество").fill("Соколова Мария Ивановна");
    await citizen.getByLabel(/^Электронная почта/).fill("maria@example.org");
    await citizen.getByLabel(/Согласен на обработку персональных данных для записи/).check();
    await citizen.getByRole("button", { name: "Записаться" }).click();
    assert.match(await citizen.getByRole("status").textContent(), /Мы отправили письмо со ссылкой/);
    const letter = await letterIn(mail, "maria@example.org", /Вы записались на заседание/);
    const link = letter.match(/http:\/\/\S+\/r\/\d+\/\S+/)[0];
    await citizen.goto(link);
    assert.match(await citizen.getByRole("status").textContent(), /за вами место в зале/);
    problems.push(...(await axeProblems(citizen)));
    await letterIn(mail, "maria@example.org", /место в зале|Вы записаны/);

    // 18.12.2026: the meeting was held; the secretary publishes the minutes.
    await stopServer(srv);
    srv = await startServer(["serve"], { ...env, GLASNOST_CLOCK: "2026-12-18T03:00:00Z" });
    await signIn(secretary, SECRETARY, at);
    await secretary.goto(staffMeeting);
    await secretary.locator("#f-minutes").fill("Протокол заседания № 5. Присутствовали 8 членов совета из 11, 4 гражданина.");
    await secretary.locator("#f-decision-1").fill("Департаменту обследовать доступность трёх учреждений до 01.03.2027.");
    await secretary.locator("#f-status-1").selectOption("in_work");
    await secretary.getByRole("button", { name: "Опубликовать протокол" }).click();
    await secretary.waitForURL(/done=minutes$/);

    await citizen.goto(`${at}${meetingPath}`);
    const main = await citizen.locator("main").textContent();
    assert.match(main, /пр\. Кирова, 41, зал заседаний/, "the announcement");
    assert.match(main, /О доступной среде в учреждениях соцзащиты/);
    assert.equal(await citizen.getByRole("link", { name: "https://video.example/council-december" }).count(), 1, "the stream link");
    assert.match(main, /Протокол заседания № 5/, "the minutes");
    assert.match(main, /обследовать доступность трёх учреждений.*исполняется/s, "the decision with its status");
    problems.push(...(await axeProblems(citizen)));
    // The online conference whose topic citizens choose (seed 000 §41) passes too.
    await citizen.goto(`${at}/conferences/`);
    await citizen.getByRole("link", { name: "Прямая линия с руководителем департамента" }).click();
    assert.match(await citizen.locator("main").textContent(), /Голосование закончилось/, "the vote's results");
    problems.push(...(await axeProblems(citizen)));
    await secretary.close();
    await citizen.close();
  } finally {
    await stopServer(srv);
    smtp.child.stdin.end();
    smtp.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(problems, [], "each page of the journey passes axe-core at 1366 and 390 px");
});

/** The decoded text of every part of a whole message (base64 or quoted-printable), joined. */
function partsText(raw) {
  const out = [];
  const re = /Content-Transfer-Encoding: (base64|quoted-printable)\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)(?=\r?\n--|$)/gi;
  for (const m of raw.matchAll(re)) {
    if (m[1].toLowerCase() === "base64") {
      out.push(Buffer.from(m[2].replace(/\s+/g, ""), "base64").toString("utf8"));
    } else {
      const bytes = m[2].replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
      out.push(Buffer.from(bytes, "latin1").toString("utf8"));
    }
  }
  return out.join("\n");
}

/** The first whole message to `to` whose raw text `match` finds, in a folder the sink keeps, waiting for it. */
async function messageIn(folder, to, match) {
  for (;;) {
    for (const name of existsSync(folder) ? readdirSync(folder).filter((n) => n.endsWith(".eml")).sort() : []) {
      const raw = readFileSync(path.join(folder, name), "utf8");
      if (raw.includes(`To: ${to}`) && match.test(raw)) return raw;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a subscriber on a phone: subscribes to drafts and meetings of two departments weekly, confirms from a letter sent over real SMTP, gets the week's digest with a new draft, and unsubscribes in one click from the letter", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "glasnost-e2e-mailing-"));
  const mail = path.join(dir, "smtp");
  mkdirSync(mail);
  const smtp = await startSmtp(mail);
  const port = await freePort();
  const at = `http://127.0.0.1:${port}`;
  const env = { ...glasnostEnv(port), GLASNOST_DATA_DIR: dir, GLASNOST_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, GLASNOST_WORKER_POLL_MS: "50", GLASNOST_MAILING_DIGEST_SECS: "1" };
  let srv = await startServer(["serve", "--demo"], { ...env, GLASNOST_CLOCK: "2026-12-09T03:00:00Z" });
  const problems = [];
  try {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(`${at}/`);
    await phone.getByRole("link", { name: /^Рассылка новостей и документов/ }).first().click();
    await phone.waitForURL(`${at}/mailing/`);
    problems.push(...(await axeProblems(phone)));
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.getByLabel(/^Адрес электронной почты/).fill("svetlana@example.org");
    await phone.getByLabel("Проекты актов и их обсуждения").check();
    await phone.getByLabel("Заседания советов").check();
    await phone.getByText("Выбрать органы").click();
    await phone.getByLabel("Департамент социальной защиты населения Томской области").check();
    await phone.getByLabel("Департамент здравоохранения Томской области").check();
    await phone.getByLabel("Раз в неделю").check();
    await phone.getByRole("button", { name: "Подписаться" }).click();
    // Without consent: refused, what she chose is kept.
    assert.match(await phone.getByRole("alert").textContent(), /без согласия на обработку адреса/);
    assert.ok(await phone.getByLabel("Заседания советов").isChecked(), "her choice is kept");
    await phone.getByLabel("Согласен на обработку адреса для рассылки").check();
    await phone.getByRole("button", { name: "Подписаться" }).click();
    assert.match(await phone.getByRole("status").textContent(), /Письмо со ссылкой для подтверждения отправлено/);

    const letter = await letterIn(mail, "svetlana@example.org", /Чтобы подтвердить подписку/);
    await phone.goto(letter.match(/http:\/\/\S+\/mailing\/confirm\/\S+/)[0]);
    problems.push(...(await axeProblems(phone)));
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.getByRole("button", { name: "Подтвердить подписку" }).click();
    assert.match(await phone.getByRole("status").textContent(), /Подписка подтверждена/);
    assert.ok(await phone.getByLabel("Департамент здравоохранения Томской области").isChecked());
    problems.push(...(await axeProblems(phone)));

    // The department puts a draft act up for discussion.
    const LAWYER = { email: "lawyer@social.example", password: "юрист-пароль-2026" };
    addStaff(LAWYER, "lawyer", "social-protection", env);
    const lawyer = await browser.newPage();
    await signIn(lawyer, LAWYER, at);
    await lawyer.goto(`${at}/staff/o/social-protection/`);
    await lawyer.getByRole("link", { name: "Проекты актов" }).first().click();
    await lawyer.getByLabel("Вид акта").selectOption("regulation");
    const title = "О порядке выплаты компенсации за проезд пенсионерам";
    await lawyer.getByLabel("Наименование проекта акта").fill(title);
    await lawyer.getByLabel("Что меняет проект и зачем").fill("Компенсация будет выплачиваться ежемесячно.");
    await lawyer.getByRole("button", { name: "Разместить уведомление" }).click();
    await lawyer.waitForURL(/\/staff\/o\/social-protection\/drafts\/\d+\?done=created$/);
    await lawyer.close();

    // A week later: the digest comes with the draft, and the way out.
    await stopServer(srv);
    srv = await startServer(["serve"], { ...env, GLASNOST_CLOCK: "2026-12-16T04:00:00Z" });
    const digest = await messageIn(mail, "svetlana@example.org", /List-Id:/);
    assert.match(digest, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);
    const text = partsText(digest);
    assert.match(text, new RegExp(title), "the new draft is in the digest");
    assert.match(text, /Проекты актов и их обсуждения/);
    const out = digest.match(/List-Unsubscribe: <(http:\/\/[^>]+)>/)[1];
    await phone.goto(out);
    problems.push(...(await axeProblems(phone)));
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.getByRole("button", { name: "Отписаться" }).click();
    assert.match(await phone.getByRole("status").textContent(), /Вы отписались/);
    problems.push(...(await axeProblems(phone)));
    await phone.close();
  } finally {
    await stopServer(srv);
    smtp.child.stdin.end();
    smtp.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(problems, [], "each page of the journey passes axe-core at 1366 and 390 px");
});

test("an editor creates a dataset, a file with an error is refused with its line and column, the fixed file is published with its files", async () => {
  const page = await browser.newPage();
  await signIn(page);
  await page.goto(`${base}/staff/o/social-protection/`);
  await page.getByRole("link", { name: "Наборы открытых данных" }).click();
  await page.getByRole("link", { name: "Создать набор данных" }).click();
  await page.locator("#f-name").fill("reception");
  await page.locator("#f-title").fill("Часы приёма граждан в учреждениях социальной защиты");
  await page.locator("#f-description").fill("Адреса учреждений и часы приёма граждан");
  await page.locator("#f-publisher_name").fill("Аносова Ирина Александровна");
  await page.locator("#f-publisher_phone").fill("+7 (3822) 00-00-00");
  await page.locator("#f-publisher_mbox").fill("anosova@social.tomsk.example");
  const field = async (i, name, ru, type, required) => {
    await page.getByLabel(`Имя поля (латиницей) ${i}`, { exact: true }).fill(name);
    await page.getByLabel(`Описание на английском ${i}`, { exact: true }).fill(name);
    await page.getByLabel(`Описание на русском ${i}`, { exact: true }).fill(ru);
    await page.getByLabel(`Тип ${i}`, { exact: true }).selectOption(type);
    if (required) await page.getByLabel(`Обязательное ${i}`, { exact: true }).check();
  };
  await field(1, "id", "Номер", "integer", true);
  await field(2, "address", "Адрес", "string(255)", true);
  await field(3, "hours", "Часы приёма", "string", false);
  await page.getByRole("button", { name: "Создать набор" }).click();
  await page.waitForURL(/\/staff\/o\/social-protection\/opendata\/\d+\?done=created$/);

  const file = (name, text) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });
  await page.getByLabel("Файл данных (CSV или XML по схеме XSD набора, UTF-8)").setInputFiles(
    file("reception.csv", "id,address,hours\r\n1,\"г. Томск, ул. Кирова, 1\",Пн–Пт 9–18\r\nдва,\"г. Томск, пр. Ленина, 6\",Ср 10–13\r\n"));
  await page.getByRole("button", { name: "Проверить и загрузить" }).click();
  const alert = page.getByRole("alert");
  assert.match(await alert.textContent(), /Файл не принят: ошибок 1/);
  const row = alert.locator("tbody tr").first();
  assert.deepEqual(await row.locator("td").allTextContents(), ["3", "1 (id)", "«два» — ожидается целое число"]);

  await page.getByLabel("Файл данных (CSV или XML по схеме XSD набора, UTF-8)").setInputFiles(
    file("reception.csv", "id,address,hours\r\n1,\"г. Томск, ул. Кирова, 1\",Пн–Пт 9–18\r\n2,\"г. Томск, пр. Ленина, 6\",Ср 10–13\r\n"));
  await page.getByLabel("Содержание изменения").fill("Первая публикация");
  await page.getByRole("button", { name: "Проверить и загрузить" }).click();
  await page.waitForURL(/done=saved$/);
  await page.getByRole("button", { name: "Опубликовать набор" }).click();
  await page.waitForURL(/done=saved$/);

  const visitor = await browser.newPage();
  await visitor.goto(`${base}/`);
  await visitor.getByRole("link", { name: "Открытые данные" }).first().click();
  await visitor.waitForURL(`${base}/opendata/`);
  await visitor.getByRole("link", { name: "Часы приёма граждан в учреждениях социальной защиты" }).click();
  await visitor.waitForURL(`${base}/opendata/7017000019-reception/`);
  const links = visitor.locator("main a");
  const hrefs = await links.evaluateAll((as) => as.map((a) => a.href));
  const data = hrefs.find((h) => /\/data-\d{8}T\d{4}-structure-\d{8}T\d{4}\.csv$/.test(h));
  const structure = hrefs.find((h) => /\/structure-\d{8}T\d{4}\.csv$/.test(h));
  assert.ok(data && structure, `both files are linked: ${hrefs.join(" ")}`);
  const got = await (await visitor.request.get(data)).text();
  assert.match(got, /^id,address,hours\r\n1,"г\. Томск, ул\. Кирова, 1",Пн–Пт 9–18\r\n2,/);
  assert.match(await (await visitor.request.get(structure)).text(), /^field name,english description,russian description,format\r\nid,id,Номер,integer\r\n/);
  const list = await (await visitor.request.get(`${base}/opendata/list.csv`)).text();
  assert.match(list, /7017000019-reception,Часы приёма граждан в учреждениях социальной защиты,http:\/\/\S+\/opendata\/7017000019-reception\/meta\.csv,csv/);

  // The visitor reports an error in a row; refused without consent with the text kept, then registered.
  await visitor.getByRole("link", { name: "Сообщить об ошибке в данных" }).click();
  await visitor.waitForURL(/\/opendata\/7017000019-reception\/feedback#report-form$/);
  await visitor.getByLabel("Что неверно и как должно быть").fill("По средам приём с 10 до 14, а не до 13");
  await visitor.getByLabel("Номер строки данных").fill("2");
  await visitor.getByLabel("Поле", { exact: true }).selectOption("hours");
  await visitor.getByRole("button", { name: "Отправить сообщение" }).click();
  assert.match(await visitor.getByRole("alert").textContent(), /без согласия на обработку персональных данных сообщение не принять/);
  assert.equal(await visitor.getByLabel("Что неверно и как должно быть").inputValue(), "По средам приём с 10 до 14, а не до 13");
  await visitor.getByLabel(/Согласен на обработку моих персональных данных/).check();
  await visitor.getByRole("button", { name: "Отправить сообщение" }).click();
  await visitor.waitForURL(/sent=1/);
  assert.match(await visitor.getByRole("status").first().textContent(), /Сообщение зарегистрировано/);
  assert.match(await visitor.locator("article").first().textContent(), /строка 2, поле hours[\s\S]*зарегистрировано/);
  await page.close();
  await visitor.close();
});

test("a citizen sends an appeal with a file and tracks it; staff classify and answer it; the published version has no personal data and no script ever runs", async () => {
  const page = await browser.newPage();
  let dialogs = 0;
  page.on("dialog", async (d) => { dialogs += 1; await d.dismiss(); });
  await page.goto(`${base}/o/social-protection/`);
  await page.locator("main").getByRole("link", { name: /^Написать обращение/ }).click();
  await page.waitForURL(/\/appeals\/new\?body=social-protection$/);
  await page.getByRole("button", { name: "Продолжить" }).click();
  await page.waitForURL(/\/appeals\/new\?kind=appeal&body=social-protection$/);
  assert.equal(await page.getByLabel("Средство массовой информации").count(), 0, "no media outlet's fields on an appeal");
  await page.getByLabel("Тема").fill("<img src=x onerror=alert(1)> Выплата на ребёнка");
  await page.getByLabel("Текст обращения").fill("<script>alert(2)</script> Прошу разъяснить порядок выплаты.");
  await page.getByLabel("Файлы").setInputFiles({ name: "заявление.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% scan\n") });
  await page.getByLabel("Фамилия, имя, отчество").fill("Петрова Анна Сергеевна");
  await page.getByLabel("Электронная почта", { exact: false }).first().fill("anna@example.org");
  // HTML and script in every other field too.
  await page.getByLabel("Почтовый адрес").fill("<svg onload=alert(3)> г. Томск, ул. Ленина, д. 1");
  await page.getByLabel("Телефон").fill("<script>alert(4)</script>+7 900 000-00-00");
  await page.getByRole("button", { name: "Отправить обращение" }).click();
  // Without consent: refused, the text is still there; the file must be attached again.
  assert.match(await page.getByRole("alert").textContent(), /без согласия на обработку персональных данных обращение не принять/);
  assert.equal(await page.getByLabel("Текст обращения").inputValue(), "<script>alert(2)</script> Прошу разъяснить порядок выплаты.");
  await page.getByLabel("Файлы").setInputFiles({ name: "заявление.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% scan\n") });
  await page.getByLabel(/Согласен на обработку моих персональных данных/).check();
  await page.getByRole("button", { name: "Отправить обращение" }).click();
  await page.waitForURL(/\/appeals\/track\/[^/?]+\?sent=1$/);
  const status = await page.getByRole("status").textContent();
  assert.match(status, /Обращение сохранено и зарегистрировано\. № \d+\/\d{4}/);
  const main = await page.locator("main").textContent();
  assert.ok(!main.includes("Петрова") && !main.includes("anna@example.org"), "no personal data on the tracking page");

  const staff = await browser.newPage();
  staff.on("dialog", async (d) => { dialogs += 1; await d.dismiss(); });
  await signIn(staff, APPEALS_OFFICER);
  await staff.goto(`${base}/staff/o/social-protection/appeals/`);
  await staff.getByRole("link", { name: /^\d+\/\d{4}$/ }).first().click();
  const card = await staff.locator("main").textContent();
  assert.match(card, /<script>alert\(2\)<\/script> Прошу разъяснить/);
  assert.match(card, /<svg onload=alert\(3\)> г\. Томск/);
  assert.match(card, /<script>alert\(4\)<\/script>\+7 900/);
  // The officer takes it; the citizen sees that it is assigned, and by when the answer is due.
  await staff.getByLabel("Исполнитель").selectOption({ label: APPEALS_OFFICER.email });
  await staff.getByRole("button", { name: "Назначить" }).click();
  await staff.waitForURL(/done=saved/);
  await page.goto(page.url().replace(/\?sent=1$/, ""));
  const tracked = await page.locator("main").textContent();
  assert.match(tracked, /назначен исполнитель/);
  assert.match(tracked, /Ответ не позднее\s*\d\d\.\d\d\.\d{4}/);
  assert.ok(!tracked.includes(APPEALS_OFFICER.email), "the officer is not named to the citizen");
  // The officer splits it into a question and classifies it by the national classifier.
  await staff.getByLabel("Вопрос (кратко)").fill("<b>Порядок</b> назначения выплаты на ребёнка");
  await staff.getByLabel("Код по классификатору").fill("0002.0007");
  await staff.getByRole("button", { name: "Добавить вопрос" }).click();
  await staff.waitForURL(/done=saved#questions$/);
  assert.match(await staff.locator("ol.questions").textContent(),
    /0002\.0007 Социальное обеспечение и социальное страхование — <b>Порядок<\/b> назначения выплаты/);
  // The officer answers; the citizen's tracking page shows the answer with its result.
  await staff.getByLabel("Результат рассмотрения").selectOption("explained");
  await staff.getByLabel("Текст ответа").fill("Уважаемая Анна Сергеевна! Выплата оформляется через МФЦ; перечень документов приложен.");
  await staff.getByRole("button", { name: "Сохранить и отправить ответ" }).click();
  await staff.waitForURL(/done=saved$/);
  await page.reload();
  const answered = await page.locator("main").textContent();
  assert.match(answered, /Рассмотрено\. Разъяснено/);
  assert.match(answered, /Выплата оформляется через МФЦ/);
  // Published after review: the officer sees what was replaced, writes the question as a reader
  // would put it, and publishes the redacted draft as it stands.
  await staff.goto(`${base}/staff/o/social-protection/appeals/publication`);
  assert.ok(await staff.locator("ul.replacements mark").count() > 0, "each replacement is shown, highlighted");
  await staff.getByLabel("Вопрос коротко — заголовок публикации").first().fill("Как оформить выплату на ребёнка?");
  await staff.getByRole("button", { name: /^Опубликовать/ }).first().click();
  await staff.waitForURL(/done=saved$/);
  const visitor = await browser.newPage();
  visitor.on("dialog", async (d) => { dialogs += 1; await d.dismiss(); });
  await visitor.goto(`${base}/o/social-protection/`);
  await visitor.getByRole("link", { name: "Ответы на обращения" }).click();
  const published = await visitor.locator("main").textContent();
  assert.ok(await visitor.getByRole("heading", { name: "Как оформить выплату на ребёнка?" }).first().isVisible());
  assert.match(published, /Прошу разъяснить порядок выплаты/);
  assert.match(published, /Уважаемый заявитель! Выплата оформляется через МФЦ/);
  for (const personal of ["Петрова", "Анна", "anna@example.org"]) {
    assert.ok(!published.includes(personal), `the published version has no personal data: ${personal}`);
  }
  await visitor.close();
  assert.equal(dialogs, 0, "no submitted script ran on any page");
  await page.close();
  await staff.close();
});

test("a journalist sends a media request from the editorial address, sees the 7-day term, and the officer defers it with a date", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/appeals/new?body=social-protection`);
  // The kind first: the form then asks only what a media request needs.
  await page.getByLabel(/^запрос редакции СМИ/).check();
  await page.getByRole("button", { name: "Продолжить" }).click();
  assert.match(await page.locator(".chosen").textContent(), /Ответ — в течение 7 календарных дней/);
  assert.equal(await page.getByLabel("О ком жалоба").count(), 0, "no complaint's field on a media request");
  await page.getByLabel("Средство массовой информации").fill("Томские новости");
  await page.getByLabel("Домен адреса редакции").fill("tomsk-news.ru");
  await page.getByLabel("Тема").fill("Очереди на выплату пособий");
  await page.getByLabel("Текст обращения").fill("Просим сообщить число заявлений на пособие за октябрь по районам.");
  await page.getByLabel("Фамилия, имя, отчество").fill("Олег Иванов");
  await page.getByLabel("Электронная почта", { exact: false }).first().fill("oleg@tomsk-news.ru");
  await page.getByLabel(/Согласен на обработку моих персональных данных/).check();
  await page.getByRole("button", { name: "Отправить обращение" }).click();
  await page.waitForURL(/\/appeals\/track\/[^/?]+\?sent=1$/);
  const track = page.url().replace(/\?sent=1$/, "");
  const tracked = await page.locator("main").textContent();
  assert.match(tracked, /запрос редакции СМИ/);
  assert.match(tracked, /\+7 календарных дней/, "the 7-day term and how it was computed");

  const staff = await browser.newPage();
  await signIn(staff, APPEALS_OFFICER);
  await staff.goto(`${base}/staff/o/social-protection/appeals/`);
  await staff.getByRole("row", { name: /Очереди на выплату пособий/ }).getByRole("link").first().click();
  assert.match(await staff.locator("main").textContent(), /Уведомить редакцию не позднее: \d\d\.\d\d\.\d{4}/);
  const until = new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 10);
  const [y, m, d] = until.split("-");
  // Deferring is one of the card's other actions, folded until opened.
  await staff.getByText("Отсрочить предоставление информации", { exact: true }).click();
  await staff.getByLabel("Дата, к которой информация будет предоставлена").fill(until);
  await staff.getByLabel("Причины, по которым информацию нельзя предоставить в семидневный срок").fill("Сведения собираются у районных управлений.");
  await staff.getByRole("button", { name: "Отсрочить и уведомить редакцию" }).click();
  await staff.waitForURL(/done=saved/);
  assert.match(await staff.locator("#notices + *").textContent(), /отсрочка предоставления информации/);
  await page.goto(track);
  const deferred = await page.locator("main").textContent();
  assert.match(deferred, new RegExp(`предоставление информации отсрочено до ${d}\\.${m}\\.${y}: Сведения собираются`));
  assert.ok(!deferred.includes(APPEALS_OFFICER.email), "the tracking page names no official");
  await page.close();
  await staff.close();
});

test("an editor publishes news with a photo and a Word document, changes the document twice; citizens read its text, three versions and what changed, see the photo, and the feeds carry the news", async () => {
  const page = await browser.newPage();
  await signIn(page);
  await page.goto(`${base}/staff/o/social-protection/site/content/`);
  await page.getByRole("link", { name: "Новость", exact: true }).click();
  await page.getByLabel(/^Заголовок/).fill("Открыта запись на личный приём руководителя");
  await page.getByLabel("Краткое описание").fill("Записаться можно по телефону и на сайте.");
  await page.getByLabel(/^Текст/).fill("Приём ведёт руководитель Департамента.\n\n## Как записаться\n\n- по телефону\n- на сайте");
  // A photo (the browser's own picture of a page, a PNG 1366 px wide): refused without saying what
  // it shows, the text kept; published with it, resized to 1200 px.
  const shot = await browser.newPage({ viewport: { width: 1366, height: 700 } });
  await shot.goto(`${base}/o/social-protection/`);
  const photo = await shot.screenshot({ type: "png" });
  await shot.close();
  await page.getByLabel(/^Фотография/).setInputFiles({ name: "приёмная.png", mimeType: "image/png", buffer: photo });
  await page.getByRole("button", { name: "Опубликовать" }).click();
  assert.match(await page.locator(".error-summary").textContent(), /опишите, что на изображении/);
  assert.equal(await page.getByLabel("Краткое описание").inputValue(), "Записаться можно по телефону и на сайте.");
  await page.getByLabel(/^Фотография/).setInputFiles({ name: "приёмная.png", mimeType: "image/png", buffer: photo });
  await page.getByLabel(/^Что на фотографии/).fill("Страница Департамента на портале");
  await page.getByRole("button", { name: "Опубликовать" }).click();
  await page.waitForURL(/\/staff\/o\/social-protection\/site\/content\/\d+\?done=created$/);
  const newsUrl = await page.getByRole("link", { name: /^\/o\/social-protection\/news\/\d+$/ }).getAttribute("href");

  await page.goto(`${base}/staff/o/social-protection/site/content/`);
  await page.getByRole("link", { name: "Документ", exact: true }).click();
  await page.getByLabel(/^Заголовок/).fill("О порядке личного приёма граждан");
  await page.getByLabel("Вид документа").selectOption("Приказ");
  await page.getByLabel("Номер").fill("57");
  // The date is left out: the form says so and keeps what was typed.
  const version = (n) => docx(["ПРИКАЗ № 57", `Приём ведётся ${n}.`, "Контроль оставляю за собой."]);
  await page.getByLabel("Файл документа").setInputFiles({ name: "Приказ 57.docx", mimeType: "application/octet-stream", buffer: version("по средам") });
  await page.getByRole("button", { name: "Опубликовать" }).click();
  assert.match(await page.locator(".error-summary").textContent(), /укажите дату документа/);
  assert.equal(await page.getByLabel("Номер").inputValue(), "57");
  await page.getByLabel("Дата документа").fill("2026-11-30");
  await page.getByLabel("Файл документа").setInputFiles({ name: "Приказ 57.docx", mimeType: "application/octet-stream", buffer: version("по средам") });
  await page.getByRole("button", { name: "Опубликовать" }).click();
  await page.waitForURL(/\/site\/content\/\d+\?done=created$/);
  const edit = page.url().replace(/\?.*$/, "");
  for (const [day, note] of [["по средам и пятницам", "добавлена пятница"], ["по средам, пятницам и субботам", "добавлена суббота"]]) {
    await page.getByLabel("Файл документа").setInputFiles({ name: "Приказ 57.docx", mimeType: "application/octet-stream", buffer: version(day) });
    await page.getByLabel("Что изменено").fill(note);
    await page.getByRole("button", { name: "Сохранить новую версию" }).click();
    await page.waitForURL(`${edit}?done=saved`);
  }
  const publicUrl = await page.getByRole("link", { name: /^\/o\/social-protection\/documents\/\d+$/ }).getAttribute("href");

  const visitor = await browser.newPage();
  await visitor.goto(`${base}/o/social-protection/`);
  await visitor.getByRole("link", { name: /^Документы/ }).click();
  await visitor.getByRole("link", { name: "О порядке личного приёма граждан" }).click();
  await visitor.waitForURL(`${base}${publicUrl}`);
  const main = await visitor.locator("main").textContent();
  assert.match(main, /Приказ № 57 от 30\.11\.2026/);
  assert.match(main, /Приём ведётся по средам, пятницам и субботам\./, "the file's text is on the page");
  await visitor.getByRole("link", { name: /Все версии и изменения \(3\)/ }).click();
  assert.equal(await visitor.locator("ol.history li").count(), 3);
  await visitor.getByLabel("Сравнить версию").selectOption("1");
  await visitor.getByLabel("с версией").selectOption("3");
  await visitor.getByRole("button", { name: "Сравнить" }).click();
  await visitor.waitForURL(/\/diff\?from=1&to=3$/);
  assert.match(await visitor.locator(".diff .removed").first().textContent(), /Приём ведётся по средам\./);
  assert.match(await visitor.locator(".diff .added").first().textContent(), /Приём ведётся по средам, пятницам и субботам\./);
  await visitor.goto(`${base}${publicUrl}/versions/1`);
  assert.match(await visitor.locator("main").textContent(), /Это архивная версия 1/);
  // The news with its photo, found from the body's news list.
  await visitor.goto(`${base}/o/social-protection/news/`);
  await visitor.getByRole("link", { name: "Открыта запись на личный приём руководителя" }).click();
  await visitor.waitForURL(`${base}${newsUrl}`);
  const img = visitor.getByRole("img", { name: "Страница Департамента на портале" });
  assert.equal(await img.getAttribute("width"), "1200");
  assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth === 1200), "the photo is served, 1200 px wide");
  // axe-core on the pages of this journey that no link leads to: the comparison of two versions.
  for (const url of [`${publicUrl}/diff?from=1&to=3`]) {
    await visitor.goto(`${base}${url}`);
    await visitor.evaluate(AXE_SOURCE);
    const result = await visitor.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(bad.map((v) => `${url} ${v.id}: ${v.help}`), []);
  }

  // Both feeds carry the news, and feedparser reads them without a complaint.
  const python = process.env.TEST_PYTHON || "python3";
  for (const feed of ["feed.atom", "feed.rss"]) {
    const file = path.join(dataDir, feed);
    const response = await visitor.request.get(`${base}/o/social-protection/${feed}`);
    writeFileSync(file, await response.body());
    const read = spawnSync(python, [path.resolve("tests/feed_check.py"), file], { encoding: "utf8" });
    assert.equal(read.status, 0, read.stderr);
    const [parsed] = JSON.parse(read.stdout);
    assert.equal(parsed.bozo, false, `${feed}: ${parsed.why}`);
    assert.ok(parsed.entries.some((e) => e.title === "Открыта запись на личный приём руководителя"), `${feed} has the news`);
  }
  await page.close();
  await visitor.close();
});

test("the regional coordinator sees every body side by side and opens what is behind an appeals figure, without personal data", async () => {
  const COORD = { email: "coord@tomsk.example", password: "координатор-пароль-2026" };
  addStaff(COORD, "regional_coordinator", null);
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, COORD);
  await page.goto(`${base}/staff/region`);
  const row = page.getByRole("row", { name: /Департамент социальной защиты/ });
  assert.match(await row.textContent(), /\d+ \/ \d+/);
  await row.getByRole("link", { name: /^\d+ \/ \d+$/ }).last().click();
  await page.waitForURL(/\/staff\/o\/social-protection\/appeals\/breaches\?year=\d{4}#late$/);
  const main = await page.locator("main").textContent();
  assert.match(main, /Отвечено с нарушением срока/);
  assert.match(main, /На рассмотрении, срок истёк/);
  for (const personal of ["Петрова", "anna@example.org", "Олег Иванов"]) {
    assert.ok(!main.includes(personal), `no personal data behind the figures: ${personal}`);
  }
  for (const url of ["/staff/region", "/staff/o/social-protection/appeals/breaches"]) {
    await page.goto(`${base}${url}`);
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(bad.map((v) => `${url} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(" ")})`), []);
  }
  await context.close();
});

test("the version for the visually impaired is switched on and kept on the next page", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/o/social-protection/`);
  assert.equal(await page.locator("body").getAttribute("class"), "");
  await page.getByRole("link", { name: "Версия для слабовидящих" }).click();
  await page.waitForURL(`${base}/o/social-protection/`);
  assert.match(await page.locator("body").getAttribute("class"), /\ba11y\b/);
  await page.getByRole("link", { name: "Главная" }).first().click();
  await page.waitForURL(`${base}/`);
  assert.match(await page.locator("body").getAttribute("class"), /\ba11y\b.*noimg/, "kept on the next page");
  const fontSize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  assert.ok(fontSize >= 24, `larger font in the accessible version (${fontSize}px)`);
  await page.getByRole("link", { name: "Обычная версия" }).click();
  assert.equal(await page.locator("body").getAttribute("class"), "");
  await page.close();
});

test("a citizen searches from the home page: «обращения граждан» finds the appeals sections, a typo finds the same, a published answer is found without personal data; the results page works in the version for the visually impaired", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  const box = page.getByRole("search").getByLabel("Поиск по порталу");
  await box.fill("обращения граждан");
  await box.press("Enter");
  await page.waitForURL(/\/search\?q=/);
  const results = page.locator("ol.results");
  for (const section of ["Написать обращение", /^Ответы на обращения — /]) {
    await results.getByRole("link", { name: section }).first().waitFor();
  }
  // A typo: corrected from the portal's own words, and said so.
  const query = page.getByLabel("Что найти");
  await query.fill("обрашения граждан");
  await query.press("Enter");
  await page.waitForURL(/q=%D0%BE%D0%B1%D1%80%D0%B0%D1%88/);
  assert.match(await page.locator("[data-test=search-corrected]").textContent(), /обращения/);
  await results.getByRole("link", { name: "Написать обращение" }).first().waitFor();
  // The answer published earlier in these journeys: found by its words, with no personal data.
  await query.fill("выплату на ребенка");
  await query.press("Enter");
  await page.waitForURL(/q=%D0%B2%D1%8B%D0%BF/);
  const answer = results.getByRole("link", { name: "Как оформить выплату на ребёнка?" });
  await answer.waitFor();
  const listed = await results.textContent();
  for (const personal of ["Петрова", "Анна Сергеевна", "anna@example.org", "Ленина"]) {
    assert.ok(!listed.includes(personal), `no personal data in the results: ${personal}`);
  }
  // The version for the visually impaired on the results page: the same results, axe-clean.
  await page.getByRole("link", { name: "Версия для слабовидящих" }).click();
  await page.waitForURL(/\/search\?q=/);
  assert.match(await page.locator("body").getAttribute("class"), /\ba11y\b/);
  await answer.waitFor();
  for (const mode of ["a11y", "plain"]) {
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
    const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(bad.map((v) => `${mode} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(" ")})`), []);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the results page fits the phone's screen (${wide}px, ${mode})`);
    if (mode === "a11y") await page.getByRole("link", { name: "Обычная версия" }).click();
  }
  // The results follow the page's link to what was found.
  await answer.click();
  await page.waitForURL(/\/o\/social-protection\/appeals\/answers#a\d+$/);
  await context.close();
});

const WIDTHS = [{ width: 1366, height: 900 }, { width: 390, height: 844 }];

// The key pages at both widths, for docs/design.md (kept in docs/screenshots, replaced each run).
const SCREENSHOTS = process.env.E2E_SCREENSHOTS || path.resolve("docs/screenshots");

test("the openness coordinator on a phone: opens the department's obligations, the longest late first, says one does not apply with the reason, and the engine counts it at its next evaluation", async () => {
  const OPEN = { email: "openness@social.example", password: "открытость-пароль-2026" };
  addStaff(OPEN, "openness_coordinator");
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page, OPEN);
  await page.goto(`${base}/staff/o/social-protection/`);
  await page.getByRole("link", { name: "Обязанности и индекс открытости" }).click();
  await page.waitForURL(`${base}/staff/o/social-protection/compliance/`);
  const problems = await axeProblems(page);
  await page.setViewportSize({ width: 390, height: 844 });
  const main = page.locator("main");
  assert.match(await main.textContent(), /Индекс: \d+,\d %/);
  assert.match(await main.textContent(), /Собственная методика|Индекс открытости Glasnost/);
  // The first obligation is late: what to do comes first.
  const obligations = page.getByRole("table", { name: "Обязанности органа" });
  const first = obligations.locator("tbody tr").first();
  assert.match(await first.textContent(), /Просрочено/);
  // The yearly report on rule-making, late in the demo (nothing recorded for it).
  const title = "Ежегодный отчёт о нормативно";
  const row = obligations.locator("tr", { has: page.locator("th", { hasText: title }) }).first();
  assert.match(await row.textContent(), /Просрочено/);
  await row.getByRole("link", { name: "Решение" }).click();
  await page.waitForURL(/\/compliance\/decide\?o=/);
  problems.push(...(await axeProblems(page)));
  await page.setViewportSize({ width: 390, height: 844 });
  // No reason: refused, nothing saved, the form says what to fix.
  await page.getByLabel("Не относится к органу").check();
  await page.getByRole("button", { name: "Сохранить решение" }).click();
  assert.match(await page.locator(".error-summary").textContent(), /укажите, почему обязанность не относится к органу/);
  await page.getByLabel("Причина или описание подтверждения").fill("Доклад готовит аппарат губернатора");
  await page.getByRole("button", { name: "Сохранить решение" }).click();
  await page.waitForURL(/\/compliance\/\?done=decided$/);
  assert.match(await page.getByRole("status").textContent(), /Решение сохранено/);
  // The engine's next cycle (every 2 s here) counts it: wait for it, page by page.
  let shown = "";
  for (let i = 0; i < 300 && !/Не относится/.test(shown); i++) {
    await new Promise((r) => setTimeout(r, 200));
    await page.goto(`${base}/staff/o/social-protection/compliance/`);
    shown = await page.locator("tr", { has: page.locator("th", { hasText: title }) }).first().textContent();
  }
  assert.match(shown, /Не относится/);
  assert.match(shown, /Доклад готовит аппарат губернатора/);
  const csv = await page.request.get(`${base}/staff/o/social-protection/compliance/obligations.csv`);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /Не относится/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("screenshots of the key pages at 1366 and 390 px", async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const size of WIDTHS) {
    const visitor = await browser.newContext({ viewport: size });
    const page = await visitor.newPage();
    for (const [name, url] of [["home", "/"], ["appeal", "/appeals/new?body=social-protection&kind=appeal"], ["passport", "/opendata/7017000019-subdivisions/"]]) {
      await page.goto(`${base}${url}`);
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${size.width}.jpg`), fullPage: true, type: "jpeg", quality: 70 });
    }
    await visitor.close();
    const staff = await browser.newContext({ viewport: size });
    const officer = await staff.newPage();
    await signIn(officer, APPEALS_OFFICER);
    await officer.screenshot({ path: path.join(SCREENSHOTS, `officer-${size.width}.jpg`), fullPage: true, type: "jpeg", quality: 70 });
    await staff.close();
  }
  for (const name of ["home", "appeal", "passport", "officer"]) {
    for (const size of WIDTHS) {
      assert.ok(statSync(path.join(SCREENSHOTS, `${name}-${size.width}.jpg`)).size > 10_000, `${name} at ${size.width} px`);
    }
  }
});

// Every page a visitor or a staff member can reach by following links, at a desktop and a phone
// width: axe-core finds no serious or critical violation, no page is wider than the phone's
// screen, and no page loads anything its Content-Security-Policy refuses. Runs last, when the
// journeys above have left a plan, a discussion, datasets and appeals behind.
// Addresses that are files or actions, not pages.
const NOT_A_PAGE = /\.(csv|docx|json|jsonld|zip|xml|xsd|ttl|pdf|xlsx|odt|txt|geojson|ics)(\?|$)|[?&]format=|^\/(prefs|api|static)\b|\/logout$/;

async function walk(context, starts, label, within = "/") {
  const started = Date.now();
  const page = await context.newPage();
  const refused = [];
  page.on("console", (m) => m.type() === "error" && /Content Security Policy/.test(m.text()) && refused.push(`${page.url()}: ${m.text()}`));
  const seen = new Set();
  const perShape = new Map();
  const queue = [...starts];
  const queued = new Set(starts);
  const problems = [];
  while (queue.length > 0) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    let response;
    try {
      response = await page.goto(`${base}${url}`);
    } catch (e) {
      // A file an officer downloads (an appeal's attachment) is not a page.
      if (/Download is starting/.test(e.message)) continue;
      throw e;
    }
    if (!(response.headers()["content-type"] || "").startsWith("text/html")) continue;
    assert.ok(response.status() < 500, `${label} ${url}: ${response.status()}`);
    for (const size of WIDTHS) {
      await page.setViewportSize(size);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      if (wide > size.width) problems.push(`${url} at ${size.width} px is ${wide} px wide`);
      await page.evaluate(AXE_SOURCE);
      const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      for (const v of result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")) {
        problems.push(`${url} at ${size.width} px: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(" ")})`);
      }
    }
    // Addresses as the browser resolves them (a passport links `feedback`, relative to itself).
    for (const href of await page.$$eval("a[href]", (as) => as.map((a) => a.href))) {
      const target = new URL(href);
      if (target.origin !== base) continue;
      const local = target.pathname + target.search;
      if (!local.startsWith(within) || NOT_A_PAGE.test(local) || queued.has(local)) continue;
      // Two pages of each shape (numbers aside) are enough: the rest share the template.
      // A catalogue item's page is named by its code, not a number: one shape for them all.
      const shape = local.replace(/[?].*$/, "").replace(/\d+/g, "N").replace(/\/site\/items\/[^/]+$/, "/site/items/X");
      const n = perShape.get(shape) || 0;
      if (n >= 2) continue;
      perShape.set(shape, n + 1);
      queued.add(local);
      queue.push(local);
    }
  }
  await page.close();
  console.log(`# ${label}: ${seen.size} pages walked in ${Math.round((Date.now() - started) / 1000)} s`);
  return { seen, problems: [...problems.map((p) => `${label}: ${p}`), ...refused.map((r) => `${label}: ${r}`)] };
}

test("every public page and every staff page of each role passes axe-core at 1366 and 390 px and fits a phone's screen", async () => {
  const context = await browser.newContext();
  // The execution report is reached by a form (the year, the quarter), not a link.
  // The design system's page is for those who build pages, linked from docs/design.md.
  const { seen: pages, problems } = await walk(context, ["/", "/o/social-protection/openness/report?year=2017", "/design"], "a visitor");
  // Every shape of page the journeys left behind is among those walked.
  for (const shape of [/^\/o\/[^/]+\/openness\/$/, /^\/o\/[^/]+\/openness\/discussion\/\d+$/, /^\/o\/[^/]+\/openness\/report/,
    /^\/opendata\/[^/]+\/$/, /^\/opendata\/[^/]+\/feedback$/, /^\/opendata\/requests$/, /^\/appeals\/new\?body=/,
    /^\/o\/[^/]+\/appeals\/answers$/, /^\/o\/[^/]+\/appeals\/stats$/, /^\/opendata\/stats$/,
    /^\/o\/[^/]+\/news\/\d+$/, /^\/o\/[^/]+\/documents\/\d+$/, /^\/o\/[^/]+\/documents\/\d+\/versions\/$/,
    /^\/o\/[^/]+\/documents\/\d+\/versions\/\d+$/, /^\/o\/[^/]+\/info\/$/, /^\/o\/[^/]+\/reception\/$/,
    /^\/o\/[^/]+\/reception\/\d+$/, /^\/visits\/$/, /^\/o\/[^/]+\/visits\/$/, /^\/o\/[^/]+\/income\/$/, /^\/o\/[^/]+\/structure\/$/]) {
    assert.ok([...pages].some((p) => shape.test(p)), `the walk reached a page like ${shape} from the home page`);
  }
  await context.close();
  const accessible = await browser.newContext();
  await accessible.addCookies([{ name: "gl_a11y", value: "3-wb-0", url: base }]);
  problems.push(...(await walk(accessible, ["/"], "a visitor in the version for the visually impaired")).problems);
  await accessible.close();
  for (const [role, body] of [["opendata_officer", "social-protection"], ["openness_coordinator", "social-protection"], ["press_secretary", "social-protection"], ["regional_coordinator", null]]) {
    const who = { email: `walk-${role}@tomsk.example`, password: `пароль-${role}-2026` };
    addStaff(who, role, body);
    STAFF.push([role, who]);
  }
  for (const [role, who] of STAFF) {
    const staff = await browser.newContext();
    const page = await staff.newPage();
    await signIn(page, who);
    await page.close();
    // The public pages are walked above; each role walks its staff pages.
    const walked = await walk(staff, ["/staff/"], role, "/staff/");
    problems.push(...walked.problems);
    // The site's editors open a body's income table (its two-row header, a person's rows).
    if (role === "editor") {
      assert.ok([...walked.seen].some((p) => /^\/staff\/o\/[^/]+\/site\/income\/\d+$/.test(p)), "the editor reached an income table");
    }
    await staff.close();
  }
  assert.deepEqual(problems, [], "every page passes axe-core, fits the screen and loads nothing its policy refuses");
});

/** Counts the pages a person opens by their own action (a click, a form sent) in a journey. */
function countSteps(page) {
  const counter = { steps: 0 };
  page.on("framenavigated", (frame) => { if (frame === page.mainFrame()) counter.steps += 1; });
  return counter;
}

/** The text of the newest letter to `to` in the demo's mail folder that `match` finds, waiting for it. */
async function letterTo(to, match, dir = dataDir) {
  return letterIn(path.join(dir, "mail"), to, match);
}

/** The text of the first letter to `to` matching `match` in a folder of whole messages. */
async function letterIn(folder, to, match) {
  for (;;) {
    for (const name of existsSync(folder) ? readdirSync(folder) : []) {
      const raw = readFileSync(path.join(folder, name), "utf8");
      if (!raw.includes(`To: ${to}`)) continue;
      const text = Buffer.from(raw.split(/\r?\n\r?\n/).slice(1).join("").replace(/\s+/g, ""), "base64").toString("utf8");
      if (match.test(text)) return text;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("journeys counted: a citizen sends an appeal and asks for its link from the home page in at most 3 steps each", async () => {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  const sending = countSteps(page);
  await page.getByRole("navigation", { name: "Разделы портала" }).getByRole("link", { name: "Написать обращение" }).click();
  await page.waitForURL(/\/appeals\/new$/);
  await page.getByLabel("Орган, которому адресован запрос").selectOption({ label: "Департамент социальной защиты населения Томской области" });
  await page.getByRole("button", { name: "Продолжить" }).click();
  await page.getByLabel("Тема").fill("Пособие на ребёнка");
  await page.getByLabel("Текст обращения").fill("Почему мне перестали выплачивать пособие?");
  await page.getByLabel("Фамилия, имя, отчество").fill("Соколова Мария Ивановна");
  await page.getByLabel("Электронная почта", { exact: false }).first().fill("maria@example.org");
  await page.getByLabel(/Согласен на обработку моих персональных данных/).check();
  await page.getByRole("button", { name: "Отправить обращение" }).click();
  await page.waitForURL(/\/appeals\/track\/[^/?]+\?sent=1$/);
  const number = (await page.getByRole("status").textContent()).match(/№ (\d+\/\d{4})/)[1];
  assert.ok(sending.steps <= 3, `from the home page to a sent appeal in ${sending.steps} steps`);

  await page.goto(`${base}/`);
  const asking = countSteps(page);
  await page.getByRole("link", { name: "Узнать, что с обращением" }).first().click();
  await page.getByLabel("Номер обращения").fill(` № ${number} `);
  await page.getByLabel("Электронная почта").fill("Maria@Example.org");
  await page.getByRole("button", { name: "Прислать ссылку" }).click();
  assert.match(await page.getByRole("status").textContent(), /ссылка на его страницу уже в пути/);
  assert.ok(asking.steps <= 3, `from the home page to the link sent in ${asking.steps} steps`);
  // The letter carries a new link to the same page; a wrong address gets the same words and no letter.
  const letter = await letterTo("maria@example.org", new RegExp(`страницу обращения № ${number}`));
  const link = letter.match(/http:\/\/\S+\/appeals\/track\/\S+/)[0];
  await page.goto(link);
  assert.match(await page.locator("h1").textContent(), new RegExp(number.replace("/", "\\/")));
  await page.close();
});

test("journeys counted: 45 days later, an appeals officer goes from signing in to the overdue appeal in 2 steps", async () => {
  // The same portal, its clock 45 days on: the appeals sent above are past their 30-day term.
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  const port = new URL(base).port;
  const later = new Date(Date.now() + 45 * 24 * 3600 * 1000).toISOString();
  server = spawn(BIN, ["serve"], { env: { ...glasnostEnv(port), GLASNOST_CLOCK: later }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  server.stdout.on("data", (d) => (out += d));
  let err = "";
  server.stderr.on("data", (d) => (err += d));
  while (!out.includes("Glasnost: http://")) {
    assert.equal(server.exitCode, null, `the server stopped: ${out} ${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await signIn(page, APPEALS_OFFICER);
  const steps = countSteps(page);
  const todo = page.locator(".todo li.urgent").first();
  assert.match(await todo.textContent(), /Департамент социальной защиты: на рассмотрении — \d+, из них просрочено — [1-9]/);
  await todo.getByRole("link").click();
  await page.waitForURL(/\/staff\/o\/social-protection\/appeals\/\?show=overdue$/);
  await page.locator("table.cards tbody tr").first().getByRole("link").click();
  await page.waitForURL(/\/staff\/o\/social-protection\/appeals\/\d+$/);
  assert.match(await page.locator(".term").textContent(), /Ответить до \d{2}\.\d{2}\.\d{4} — просрочено на \d+ (день|дня|дней)/);
  assert.equal(steps.steps, 2, "from the staff home to the overdue appeal's card");
  await context.close();
});
