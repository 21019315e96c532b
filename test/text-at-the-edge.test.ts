import assert from "node:assert/strict";
import { test } from "node:test";
import type { FastifyInstance } from "fastify";
import { parseHTML } from "linkedom";
import { MAX_PASTED_TABLE_LENGTH } from "../src/modules/measures/measures.schemas.ts";
import { MAX_FIELD_LENGTH } from "../src/web/forms.ts";
import { currentDataVersion } from "../src/web/page-cache.ts";
import { testApp } from "./helpers/app.ts";
import { describeOnBothDatabases } from "./helpers/database.ts";

/**
 * Every form a person can reach from the dashboard, every text field in it: a NUL byte, bytes
 * that are not UTF-8 and a text longer than any field holds are each a 400 with the error beside
 * that field, the typed text kept in the form, and nothing saved. Before, a NUL byte was a 500
 * that lost what was typed, "%FF" was stored as escape text and 600,000 characters were accepted.
 */

const NOT_PAGES = /^\/(static|govuk|moj|assets|health)\/|\.(docx|xlsx|pdf|csv|json|html)(\?|$)/;

function shapeOf(href: string): string {
  const url = new URL(href, "http://baseplan.test");
  return url.pathname
    .split("/")
    .map((segment) => (/\d/.test(segment) ? ":id" : segment))
    .join("/");
}

interface Form {
  page: string;
  action: string;
  fields: [string, string][];
  textFields: string[];
}

function formsIn(page: string, html: string): Form[] {
  const { document } = parseHTML(html);
  const forms: Form[] = [];
  for (const form of document.querySelectorAll("form")) {
    if ((form.getAttribute("method") ?? "get").toLowerCase() !== "post") continue;
    const fields: [string, string][] = [];
    const textFields: string[] = [];
    for (const element of form.querySelectorAll("input, textarea, select")) {
      const name = element.getAttribute("name");
      if (!name || element.hasAttribute("disabled")) continue;
      const tag = element.tagName.toLowerCase();
      const type = (element.getAttribute("type") ?? "text").toLowerCase();
      if (tag === "select") {
        const option = element.querySelector("option[selected]") ?? element.querySelector("option");
        fields.push([name, option?.getAttribute("value") ?? option?.textContent ?? ""]);
      } else if (tag === "textarea") {
        fields.push([name, element.textContent ?? ""]);
        textFields.push(name);
      } else if (type === "radio" || type === "checkbox") {
        if (element.hasAttribute("checked")) fields.push([name, element.getAttribute("value") ?? "on"]);
      } else if (type !== "submit" && type !== "button") {
        fields.push([name, element.getAttribute("value") ?? ""]);
        if (type === "text" || type === "search") textFields.push(name);
      }
    }
    forms.push({ page, action: form.getAttribute("action") || page, fields, textFields });
  }
  return forms;
}

async function reachableForms(app: FastifyInstance): Promise<Form[]> {
  const queue = ["/", "/measures/import", "/procurement/new", "/procurement/thresholds", "/budget/settings"];
  const seen = new Set<string>();
  const shapes = new Set<string>();
  const forms = new Map<string, Form>();
  while (queue.length > 0 && seen.size < 400) {
    const href = queue.shift() as string;
    if (seen.has(href)) continue;
    seen.add(href);
    const response = await app.inject(href);
    if (response.statusCode !== 200) continue;
    for (const form of formsIn(href, response.body)) {
      // One form of each shape: "due-measure-4-day" on /round/measure/4/due-date is one shape too.
      const key = `${shapeOf(form.action)} ${form.textFields.join(",").replace(/\d+/g, ":id")}`;
      if (!forms.has(key)) forms.set(key, form);
    }
    for (const [, link] of response.body.matchAll(/href="(\/[^"#?]*)"/g)) {
      const path = link as string;
      if (NOT_PAGES.test(path) || seen.has(path) || shapes.has(shapeOf(path))) continue;
      shapes.add(shapeOf(path));
      queue.push(path);
    }
  }
  return [...forms.values()];
}

describeOnBothDatabases("text at the edge of every form", (fresh) => {
  test("a NUL byte, undecodable bytes or too long a text in any field is a field error and saves nothing", async () => {
    const database = await fresh({ demo: true });
    const app = await testApp(database.db);
    const forms = (await reachableForms(app)).filter((form) => form.textFields.length > 0);
    const fieldCount = forms.reduce((count, form) => count + form.textFields.length, 0);
    assert.ok(forms.length >= 8 && fieldCount >= 20, `${forms.length} forms, ${fieldCount} text fields`);
    const before = await currentDataVersion(database.db);
    const problems: string[] = [];
    for (const form of forms) {
      // The session cookie and token come from the page the form is on, as in a browser.
      const page = await app.inject(form.page);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
      const cookie = page.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
      for (const field of form.textFields) {
        const limit = field === "table" ? MAX_PASTED_TABLE_LENGTH : MAX_FIELD_LENGTH;
        const bad: [string, string, RegExp][] = [
          ["NUL", "%00", /null character/],
          ["undecodable", "%FF%FE", /could not be read as text/],
          ["too long", "x".repeat(limit + 1), /characters or fewer/],
        ];
        for (const [what, encoded, message] of bad) {
          const body = form.fields
            .map(([name, value]) =>
              name === "_csrf"
                ? `_csrf=${encodeURIComponent(token)}`
                : name === field
                  ? `${encodeURIComponent(name)}=typed${encoded}text`
                  : `${encodeURIComponent(name)}=${encodeURIComponent(value)}`,
            )
            .join("&");
          const response = await app.inject({
            method: "POST",
            url: form.action,
            payload: body,
            headers: { "content-type": "application/x-www-form-urlencoded", cookie },
          });
          const where = `${what} in ${field} of ${form.action}`;
          if (response.statusCode !== 400) problems.push(`${where}: ${response.statusCode}`);
          else if (!message.test(response.body)) problems.push(`${where}: no message`);
          else if (!response.body.includes(`href="#${field}"`))
            problems.push(`${where}: not beside the field`);
          else if (what === "too long" && !response.body.includes("typed"))
            problems.push(`${where}: text lost`);
        }
      }
    }
    assert.deepEqual(problems, [], `of ${fieldCount} fields in ${forms.length} forms`);
    assert.equal(await currentDataVersion(database.db), before, "nothing was saved");
    await app.close();
  });
});
