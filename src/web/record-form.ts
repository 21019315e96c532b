/**
 * The fields of the one add-or-edit form every record uses (views/record-form.njk): a route
 * lists its fields with their values, and the template draws each in the GOV.UK pattern with its
 * error. The helpers read a posted or saved value back into a field.
 */

export type FormValues = Record<string, unknown>;

export interface FormField {
  type: "text" | "textarea" | "radios" | "select" | "checkboxes";
  name: string;
  label: string;
  hint?: string;
  value?: string;
  rows?: number;
  classes?: string;
  inputmode?: string;
  items?: { value: string; text: string; checked?: boolean; selected?: boolean }[];
}

/** A posted or saved value as the text a field shows ("" when there is none). */
export function fieldText(values: FormValues, name: string): string {
  const value = values[name];
  return typeof value === "string" ? value : "";
}

/** Radio items, the one whose value was chosen checked. */
export function radioItems(
  values: FormValues,
  name: string,
  options: readonly (readonly [string, string])[],
) {
  return options.map(([value, label]) => ({
    value,
    text: label,
    checked: fieldText(values, name) === value,
  }));
}

/** Select items, the one whose value was chosen selected. */
export function selectItems(
  values: FormValues,
  name: string,
  options: readonly (readonly [string, string])[],
) {
  return options.map(([value, label]) => ({
    value,
    text: label,
    selected: fieldText(values, name) === value,
  }));
}
