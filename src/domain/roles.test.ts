import assert from "node:assert/strict";
import { test } from "node:test";
import { meets, requirementFor, rolesInWords } from "./roles.ts";

test("the rule: reading needs any role, writing needs the role for the area, anything new needs an administrator", () => {
  const table: [string, string, string][] = [
    ["GET", "/sign-in", "public"],
    ["POST", "/sign-in", "public"],
    ["GET", "/sign-in/oidc", "public"],
    ["GET", "/sign-in/oidc/callback", "public"],
    ["GET", "/invitation/abc", "public"],
    ["POST", "/invitation/abc", "public"],
    ["GET", "/health/ready", "public"],
    ["GET", "/static/stylesheets/application.css", "public"],
    ["POST", "/sign-out", "signed-in"],
    ["GET", "/account", "signed-in"],
    ["GET", "/", "administrator performance-officer finance-officer owner approver viewer"],
    ["GET", "/budget/2040-41/q1", "administrator performance-officer finance-officer owner approver viewer"],
    ["GET", "/people", "administrator"],
    ["POST", "/people/3/deactivate", "administrator"],
    ["POST", "/budget/lines/4/forecasts/1/new", "finance-officer administrator owner"],
    ["POST", "/budget/lines/4/forecasts/1/edit", "finance-officer administrator owner"],
    ["POST", "/measures/9/values/new", "performance-officer administrator owner"],
    ["POST", "/measures/9/details", "performance-officer administrator"],
    ["POST", "/risks/5", "performance-officer administrator owner"],
    ["POST", "/procurement/new", "finance-officer administrator"],
    ["POST", "/budget/settings", "administrator"],
    ["POST", "/procurement/thresholds", "administrator"],
    ["POST", "/benchmarks/settings", "administrator"],
    ["POST", "/measures/import", "performance-officer administrator"],
    ["POST", "/plan/deliverables/2/progress", "performance-officer administrator owner"],
    ["POST", "/plan/deliverables/2/leads", "performance-officer administrator"],
    ["POST", "/periods/years", "performance-officer administrator"],
    ["GET", "/my-updates", "administrator performance-officer finance-officer owner approver viewer"],
    ["POST", "/periods/2030-31/q2/round/deliverable/4/submit", "performance-officer administrator owner"],
    ["POST", "/periods/2030-31/q2/round/measure/4/return", "performance-officer approver administrator"],
    ["POST", "/periods/2030-31/q2/round/measure/4/approve", "performance-officer approver administrator"],
    ["POST", "/periods/2030-31/q2/sign-off", "approver administrator"],
    ["POST", "/periods/2031-32/m7/unlock", "administrator"],
    ["POST", "/periods/2031-32/q3/reopen", "administrator"],
    ["POST", "/periods/2031-32/m7/round/remind", "performance-officer administrator"],
    ["POST", "/my-updates/reminders", "signed-in"],
    ["POST", "/something-new", "administrator"],
    // The JSON API: its description is public, its data is read with any role, like a page.
    ["GET", "/api/v1/openapi.json", "public"],
    ["GET", "/api/docs", "public"],
    ["GET", "/api/v1/periods", "administrator performance-officer finance-officer owner approver viewer"],
    [
      "GET",
      "/api/v1/periods/2040-41-q1/budget",
      "administrator performance-officer finance-officer owner approver viewer",
    ],
    ["POST", "/api/v1/periods", "administrator"],
  ];
  for (const [method, path, expected] of table) {
    const requirement = requirementFor(method, path);
    assert.equal(
      typeof requirement === "string" ? requirement : requirement.join(" "),
      expected,
      `${method} ${path}`,
    );
  }
});

test("meeting a requirement, and roles in words", () => {
  assert.equal(meets(["finance-officer", "administrator"], ["viewer", "finance-officer"]), true);
  assert.equal(meets(["finance-officer", "administrator"], ["viewer", "owner"]), false);
  assert.equal(meets(["viewer"], []), false);
  assert.equal(meets("signed-in", []), true);
  assert.equal(rolesInWords(["finance-officer", "administrator"]), "Finance officer or Administrator");
  assert.equal(
    rolesInWords(["performance-officer", "finance-officer", "administrator"]),
    "Performance officer, Finance officer or Administrator",
  );
});
