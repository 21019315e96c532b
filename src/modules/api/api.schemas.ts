/**
 * The JSON API's shapes, as JSON Schema (OpenAPI 3.0 dialect). Fastify uses them to check what
 * comes in and to write what goes out (a field not listed is never sent), and @fastify/swagger
 * builds /api/v1/openapi.json from them, so the description cannot drift from the answers.
 */

const nullable = <T extends Record<string, unknown>>(schema: T) => ({ ...schema, nullable: true });

/** Money: an exact whole number of pence, with its currency. */
export const money = {
  type: "object",
  description: "An amount of money: a whole number of pence, exact, with its currency.",
  required: ["pence", "currency"],
  additionalProperties: false,
  properties: {
    pence: { type: "integer", description: "The amount in pence (100 pence is one pound)." },
    currency: { type: "string", enum: ["GBP"], description: "ISO 4217 currency code." },
  },
} as const;

export const rating = {
  type: "object",
  description: "A rating, by its key and the words of the council's rating key.",
  required: ["key", "label"],
  additionalProperties: false,
  properties: {
    key: { type: "string", description: "The rating's key, for programs: stable across councils." },
    label: { type: "string", description: "The words of the council's rating key for it." },
  },
} as const;

/** "2020-21-q3" or "2020-21-m7". */
export const periodKeyPattern = "^[0-9]{4}-[0-9]{2}-[qmQM][0-9]{1,2}$";

export const periodParams = {
  type: "object",
  required: ["period"],
  additionalProperties: false,
  properties: {
    period: {
      type: "string",
      pattern: periodKeyPattern,
      description:
        'A monitoring period: the financial year and the quarter or month, "2020-21-q3" or "2020-21-m7".',
    },
  },
} as const;

export const problem = {
  type: "object",
  description: "An error as problem details (RFC 9457), sent as application/problem+json.",
  required: ["type", "status", "title", "detail"],
  properties: {
    type: { type: "string" },
    status: { type: "integer" },
    title: { type: "string" },
    detail: { type: "string" },
    errors: {
      type: "array",
      description: "Each field at fault: its name, the value sent and what is wrong.",
      items: {
        type: "object",
        required: ["field", "message"],
        properties: { field: { type: "string" }, value: {}, message: { type: "string" } },
      },
    },
    rolesNeeded: { type: "array", items: { type: "string" }, description: "The roles that may do this." },
  },
} as const;

const period = {
  type: "object",
  required: [
    "key",
    "label",
    "kind",
    "number",
    "financialYear",
    "status",
    "statusWords",
    "frequency",
    "publishedAt",
  ],
  additionalProperties: false,
  properties: {
    key: { type: "string", description: 'The period\'s key, as the other addresses take it: "2020-21-q3".' },
    label: { type: "string", description: "The period in words." },
    kind: { type: "string", enum: ["quarter", "month"] },
    number: {
      type: "integer",
      description: "The quarter (1 to 4) or month (1 to 12) of the financial year.",
    },
    financialYear: { type: "string", description: 'The financial year, "2020/21".' },
    status: { type: "string", description: "Where the period is in the monitoring cycle." },
    statusWords: { type: "string", description: "The status in words." },
    frequency: { type: "string", description: "How often the year is monitored." },
    publishedAt: nullable({ type: "string", format: "date-time" }),
  },
} as const;

export const periodsResponse = {
  type: "object",
  required: ["periods"],
  additionalProperties: false,
  properties: { periods: { type: "array", items: period } },
} as const;

const measureValue = nullable({
  type: "object",
  required: ["text", "amount", "periodLabel"],
  additionalProperties: false,
  properties: {
    text: { type: "string", description: "The value as recorded." },
    amount: nullable({ type: "string", description: "The value as an exact decimal, where it is a number." }),
    periodLabel: { type: "string" },
  },
});

export const periodMeasuresResponse = {
  type: "object",
  required: ["period", "measures"],
  additionalProperties: false,
  properties: {
    period: { type: "string" },
    measures: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "title", "code", "unit", "polarity", "frequency", "value", "target", "rating"],
        additionalProperties: false,
        properties: {
          id: { type: "integer" },
          title: { type: "string" },
          code: nullable({ type: "string" }),
          unit: nullable({ type: "string" }),
          polarity: nullable({ type: "string" }),
          frequency: nullable({ type: "string" }),
          value: measureValue,
          target: nullable({
            type: "object",
            required: ["text", "periodLabel"],
            additionalProperties: false,
            properties: { text: { type: "string" }, periodLabel: { type: "string" } },
          }),
          rating: {
            type: "object",
            description: "Baseplan's rating of the value against the target.",
            required: ["key", "label", "explanation"],
            additionalProperties: false,
            properties: { ...rating.properties, explanation: { type: "string" } },
          },
        },
      },
    },
  },
} as const;

const position = {
  type: "object",
  required: ["controllableBudget", "forecastOutturn", "variance", "variancePercentage", "rating"],
  additionalProperties: false,
  properties: {
    controllableBudget: money,
    forecastOutturn: money,
    variance: { ...money, description: "Forecast outturn less budget: more than zero is an overspend." },
    variancePercentage: { type: "string", description: "As the council prints it." },
    rating: {
      type: "object",
      required: ["key", "label", "explanation"],
      additionalProperties: false,
      properties: {
        key: { type: "string", enum: ["red", "amber", "green"] },
        label: { type: "string" },
        explanation: { type: "string" },
      },
    },
  },
} as const;

export const budgetResponse = {
  type: "object",
  required: ["period", "reported", "lines", "total", "additionalFunding", "afterFunding"],
  additionalProperties: false,
  properties: {
    period: { type: "string" },
    reported: { type: "boolean", description: "Whether a forecast was recorded for the quarter." },
    lines: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "name", "position"],
        additionalProperties: false,
        properties: { id: { type: "integer" }, name: { type: "string" }, position },
      },
    },
    total: nullable(position),
    additionalFunding: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "amount"],
        additionalProperties: false,
        properties: { name: { type: "string" }, amount: money },
      },
    },
    afterFunding: nullable(position),
  },
} as const;

export const planResponse = {
  type: "object",
  required: ["period", "groups"],
  additionalProperties: false,
  properties: {
    period: { type: "string" },
    groups: {
      type: "array",
      items: {
        type: "object",
        required: ["kind", "title", "plan", "deliverables"],
        additionalProperties: false,
        properties: {
          kind: { type: "string" },
          title: { type: "string" },
          plan: { type: "string", description: "The plan's short name." },
          deliverables: {
            type: "array",
            items: {
              type: "object",
              required: ["id", "title", "rating", "ratingInferred", "progress"],
              additionalProperties: false,
              properties: {
                id: { type: "integer" },
                title: { type: "string" },
                rating: nullable({
                  ...rating,
                  description: "The quarter's progress rating; null when not reported.",
                }),
                ratingInferred: {
                  type: "boolean",
                  description: "The rating was worked out by Baseplan from the update's words, not stated.",
                },
                progress: nullable({
                  type: "string",
                  description: "The quarter's progress update, in the officer's words.",
                }),
              },
            },
          },
        },
      },
    },
  },
} as const;
