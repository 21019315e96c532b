import { timingSafeEqual } from "node:crypto";
import * as client from "openid-client";
import { isLoopbackUrl, type OidcSettings } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import { recordAuditEvent } from "../audit/audit.service.ts";
import { type SessionTimes, startSession } from "./accounts.service.ts";
import {
  findOidcSignIn,
  findPeopleByEmail,
  findPersonRow,
  insertOidcSignIn,
  insertSignInAttempt,
  markOidcSignInUsed,
  updatePersonIfVersion,
} from "./people.repository.ts";
import { normaliseEmail, tokenHash } from "./people.service.ts";

/**
 * Sign-in with the council's identity provider by OpenID Connect (openid-client): the
 * authorisation code flow with PKCE, state and nonce. A person signs in only if an administrator
 * has already added them (matched by email, ignoring case) and they are not deactivated. Each
 * sign-in begun is stored until the provider sends the person back, and used once. Every
 * sign-in and every refusal is recorded in the sign-in attempts, as a password sign-in is.
 */

/** How long a person has at the identity provider before the sign-in begun is refused. */
export const OIDC_SIGN_IN_MINUTES = 10;

/** Why a sign-in through the identity provider was refused. */
export type OidcRefusal =
  | "missing-state"
  | "forged-state"
  | "expired"
  | "replayed"
  | "provider-error"
  | "wrong-nonce"
  | "wrong-audience"
  | "wrong-issuer"
  | "token-refused"
  | "no-email"
  | "unknown-person"
  | "deactivated"
  | "unreachable";

export type OidcResult =
  | { ok: true; sessionId: string; personId: number; next: string }
  | { ok: false; reason: OidcRefusal; email?: string; detail?: string };

export interface OidcOptions {
  /** Used for every request to the identity provider; tests hand in one that can alter answers. */
  fetch?: client.CustomFetch;
}

/** The identity provider could not be reached or did not describe itself (discovery failed). */
export class ProviderUnreachable extends Error {}

/** What is recorded in the sign-in attempts for each refusal. */
const RECORDED: Readonly<Record<OidcRefusal, string>> = {
  "missing-state": "identity provider: no state, or no sign-in begun in this browser",
  "forged-state": "identity provider: state not one this browser began",
  expired: "identity provider: sign-in begun too long ago",
  replayed: "identity provider: callback already used",
  "provider-error": "identity provider: returned an error",
  "wrong-nonce": "identity provider: ID token nonce not the one sent",
  "wrong-audience": "identity provider: ID token for another audience",
  "wrong-issuer": "identity provider: ID token from another issuer",
  "token-refused": "identity provider: code or ID token refused",
  "no-email": "identity provider: no email address in the ID token",
  "unknown-person": "identity provider: nobody with this email",
  deactivated: "identity provider: person deactivated",
  unreachable: "identity provider: could not be reached",
};

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Text from the provider, kept short and printable before it is shown or recorded. */
function plain(text: string | null | undefined, limit = 200): string {
  return (text ?? "").replace(/[^\x20-\x7e]/g, " ").slice(0, limit);
}

/** Where to go after signing in: a path on this site only, never another site. */
export function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?![/\\])/.test(next) && next.length <= 2000 ? next : "/";
}

/**
 * The email an ID token names: `email`, or `preferred_username` when it is an email address
 * (Microsoft Entra ID sends `email` only when the account has one set; its `preferred_username`
 * is the sign-in name, usually the email). A token saying the email is not verified names none.
 */
export function emailFromClaims(claims: Record<string, unknown> | undefined): string | undefined {
  if (!claims || claims.email_verified === false) return undefined;
  for (const claim of [claims.email, claims.preferred_username]) {
    if (typeof claim === "string" && /^[^\s@]+@[^\s@]+$/.test(claim.trim())) return normaliseEmail(claim);
  }
  return undefined;
}

/** Which check an ID token or code failed, from openid-client's error. */
function refusalOf(error: unknown): { reason: OidcRefusal; detail: string } {
  const coded = error as {
    code?: unknown;
    cause?: { claim?: unknown; cause?: { claim?: unknown } };
    error?: unknown;
    message?: unknown;
  };
  // openid-client wraps oauth4webapi's error, whose own cause names the claim that failed.
  const claim = coded?.cause?.claim ?? coded?.cause?.cause?.claim;
  if (coded?.code === "OAUTH_JWT_CLAIM_COMPARISON_FAILED") {
    if (claim === "nonce") return { reason: "wrong-nonce", detail: "" };
    if (claim === "aud" || claim === "azp") return { reason: "wrong-audience", detail: "" };
    if (claim === "iss") return { reason: "wrong-issuer", detail: "" };
  }
  const detail = typeof coded?.error === "string" ? coded.error : String(coded?.message ?? "");
  return { reason: "token-refused", detail: plain(detail) };
}

export class OidcSignIn {
  readonly #settings: OidcSettings;
  readonly #options: OidcOptions;
  #configuration: Promise<client.Configuration> | undefined;

  constructor(settings: OidcSettings, options: OidcOptions = {}) {
    this.#settings = settings;
    this.#options = options;
  }

  get providerName(): string {
    return this.#settings.providerName;
  }

  /** The provider's description, fetched once (again after a failure, so an outage passes). */
  async #discover(): Promise<client.Configuration> {
    if (!this.#configuration) {
      const issuer = new URL(this.#settings.issuer);
      const execute = isLoopbackUrl(issuer) ? [client.allowInsecureRequests] : [];
      const options = this.#options.fetch
        ? { execute, [client.customFetch]: this.#options.fetch }
        : { execute };
      this.#configuration = client
        .discovery(
          issuer,
          this.#settings.clientId,
          undefined,
          client.ClientSecretPost(this.#settings.clientSecret),
          options,
        )
        .catch((error: unknown) => {
          this.#configuration = undefined;
          throw new ProviderUnreachable(plain(error instanceof Error ? error.message : String(error)));
        });
    }
    return this.#configuration;
  }

  /**
   * Begins a sign-in: stores the state's hash with a new nonce and PKCE code verifier, and
   * returns the provider's address to send the browser to and the state for the browser's cookie.
   */
  async begin(
    db: Database,
    input: { next: unknown; address: string },
    now = new Date(),
  ): Promise<{ url: string; state: string }> {
    const configuration = await this.#discover();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    await insertOidcSignIn(db, {
      stateHash: tokenHash(state),
      nonce,
      codeVerifier,
      nextPath: safeNext(input.next),
      address: input.address,
      createdAt: now,
      expiresAt: new Date(now.getTime() + OIDC_SIGN_IN_MINUTES * 60 * 1000),
    });
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.#settings.redirectUrl,
      scope: "openid email profile",
      response_type: "code",
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: "S256",
      state,
      nonce,
    });
    return { url: url.href, state };
  }

  /**
   * Completes a sign-in from the provider's callback (its query string) and the state this
   * browser's cookie holds. Refuses, changing nothing but the record of the attempt, when the
   * state is missing, forged, expired or already used, when the provider returned an error,
   * when the ID token fails a check (nonce, audience, issuer, signature) or names no email, and
   * when its email is nobody's or a deactivated person's.
   */
  async complete(
    db: Database,
    input: { query: string; browserState: string | undefined; address: string },
    times: SessionTimes,
    now = new Date(),
  ): Promise<OidcResult> {
    const refuse = async (reason: OidcRefusal, email = "", detail = ""): Promise<OidcResult> => {
      const recorded = detail ? `${RECORDED[reason]} (${detail})` : RECORDED[reason];
      await insertSignInAttempt(db, {
        email: email.slice(0, 320),
        address: input.address,
        succeeded: false,
        reason: recorded.slice(0, 400),
        occurredAt: now,
        method: "oidc",
      });
      return { ok: false, reason, ...(email ? { email } : {}), ...(detail ? { detail } : {}) };
    };

    const callback = new URL(this.#settings.redirectUrl);
    callback.search = input.query;
    const returned = callback.searchParams.get("state");
    if (!returned || !input.browserState) return refuse("missing-state");
    if (!sameText(returned, input.browserState)) return refuse("forged-state");
    const begun = await findOidcSignIn(db, tokenHash(returned));
    if (!begun) return refuse("forged-state");
    if (begun.usedAt !== null) return refuse("replayed");
    if (begun.expiresAt.getTime() <= now.getTime()) return refuse("expired");
    if (!(await markOidcSignInUsed(db, begun.stateHash, now))) return refuse("replayed");

    const providerError = callback.searchParams.get("error");
    if (providerError !== null) {
      const description = callback.searchParams.get("error_description");
      return refuse(
        "provider-error",
        "",
        plain(description ? `${providerError}: ${description}` : providerError),
      );
    }

    let configuration: client.Configuration;
    try {
      configuration = await this.#discover();
    } catch (error) {
      return refuse("unreachable", "", error instanceof Error ? error.message : "");
    }
    let claims: Record<string, unknown> | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: begun.codeVerifier,
        expectedState: returned,
        expectedNonce: begun.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      const { reason, detail } = refusalOf(error);
      return refuse(reason, "", detail);
    }
    const email = emailFromClaims(claims);
    if (!email) return refuse("no-email");

    const found = await findPeopleByEmail(db, email);
    const person = found.find((candidate) => candidate.status !== "deactivated");
    if (!person) return refuse(found.length > 0 ? "deactivated" : "unknown-person", email);

    if (person.status === "invited") await this.#activate(db, person.id, now);
    await insertSignInAttempt(db, {
      email,
      address: input.address,
      succeeded: true,
      reason: "signed in with the identity provider",
      occurredAt: now,
      method: "oidc",
    });
    const sessionId = await startSession(db, person.id, input.address, times, now);
    return { ok: true, sessionId, personId: person.id, next: begun.nextPath };
  }

  /** An invited person's first sign-in through the provider makes them active, audited. */
  async #activate(db: Database, personId: number, now: Date): Promise<void> {
    await db.transaction(async (tx) => {
      const person = await findPersonRow(tx, personId);
      if (person?.status !== "invited") return;
      await updatePersonIfVersion(tx, person.id, person.version, { status: "active", updatedAt: now });
      await recordAuditEvent(tx, {
        actor: person.email,
        action: "update",
        entityType: "person",
        entityId: person.id,
        summary: `${person.displayName} signed in for the first time with ${this.#settings.providerName}`,
        before: { status: "invited" },
        after: { status: "active" },
      });
    });
  }
}
