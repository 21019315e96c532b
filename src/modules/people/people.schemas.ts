import { z } from "zod";
import { ROLES, type Role } from "../../domain/roles.ts";

const roleField = z.enum(ROLES as unknown as [Role, ...Role[]], { error: "Select the role" });

/** "" is the whole council; otherwise a department's id. */
const departmentField = z
  .string()
  .optional()
  .transform((text, context) => {
    if (text === undefined || text === "") return null;
    if (!/^[0-9]{1,10}$/.test(text)) {
      context.addIssue({ code: "custom", message: "Select a department, or the whole council" });
      return z.NEVER;
    }
    return Number(text);
  });

export const inviteForm = z.object({
  displayName: z
    .string({ error: "Enter the person's name" })
    .trim()
    .min(1, "Enter the person's name")
    .max(200, "The name must be 200 characters or fewer"),
  email: z
    .string({ error: "Enter the person's email address" })
    .trim()
    .min(1, "Enter the person's email address")
    .max(320, "The email address must be 320 characters or fewer")
    .regex(
      /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
      "Enter an email address in the correct format, like name@example.org",
    ),
  councilId: z.coerce.number({ error: "Select the council" }).int().positive("Select the council"),
  role: roleField,
  departmentId: departmentField,
});

export const addRoleForm = z.object({
  version: z.coerce.number().int().positive(),
  role: roleField,
  departmentId: departmentField,
});

export const signInForm = z.object({
  email: z.string({ error: "Enter your email address" }).trim().min(1, "Enter your email address").max(320),
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(1000),
});

export const setPasswordForm = z
  .object({
    password: z.string({ error: "Enter a password" }).min(1, "Enter a password"),
    confirm: z.string({ error: "Enter the password again" }).min(1, "Enter the password again"),
  })
  .refine((form) => form.password === form.confirm, {
    path: ["confirm"],
    message: "The two passwords are not the same: enter the same password twice",
  });
