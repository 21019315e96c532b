import type { Config } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { ValidationFailed } from "../../errors.ts";
import { type Invited, invitePerson, rolePlaces } from "./people.service.ts";

/**
 * `baseplan invite-administrator EMAIL NAME`: the first administrator of a new installation,
 * who then invites everyone else from the People page. Returns the invitation, or what is wrong.
 */
export async function inviteFirstAdministrator(
  db: Database,
  config: Config,
  email: string,
  displayName: string,
): Promise<Invited | string> {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
    return `"${email}" is not an email address: give it like name@council.gov.uk`;
  }
  if (displayName.trim() === "") return "Give the administrator's name after the email address.";
  const { councils } = await rolePlaces(db);
  const council = councils[0];
  if (!council) return "There is no council in the database yet: load or import one first.";
  try {
    return await invitePerson(
      db,
      config.commandLineActor,
      { councilId: council.id, email, displayName, role: "administrator", departmentId: null },
      { invitationDays: config.invitationDays },
    );
  } catch (error) {
    if (!(error instanceof ValidationFailed)) throw error;
    return error.errors.map((problem) => problem.message).join("\n");
  }
}
