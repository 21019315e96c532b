import { createPrivateKey, generateKeyPairSync, type JsonWebKey, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a loopback port, for tests:
 * one client, authorisation code flow with PKCE required, and its development sign-in form, where
 * any login name signs in. A login that is an email address gets `email` (verified); any other
 * gets only `preferred_username`, unless `claimsFor` says otherwise. Consent is taken as given.
 */
export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Baseplan's settings for this provider, as environment variables. */
  env: Record<string, string>;
  /** Re-signs an ID token with this provider's own key after changing its claims. */
  resign(idToken: string, changes: Record<string, unknown>): string;
  close(): Promise<void>;
}

export async function startTestProvider(options: {
  redirectUrl: string;
  providerName?: string;
  claimsFor?: (login: string) => Record<string, unknown>;
}): Promise<TestProvider> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = {
    ...(privateKey.export({ format: "jwk" }) as JsonWebKey),
    kid: "test-key",
    alg: "RS256",
    use: "sig",
  };
  let handler: Parameters<typeof createServer>[1] = (_request, response) => response.end();
  // Each answer closes its connection: a test's gaps outlast a kept-alive socket, and a reset
  // one would look like an unreachable provider.
  const server: Server = createServer((request, response) => {
    response.setHeader("connection", "close");
    handler?.(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "baseplan-test";
  const clientSecret = "a-client-secret-for-the-test-provider-only";
  const claimsFor =
    options.claimsFor ??
    ((login: string) =>
      login.includes("@")
        ? { email: login, email_verified: true, name: login }
        : { preferred_username: login, name: login });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUrl],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ["a-cookie-key-for-the-test-provider-only"] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "preferred_username"],
    },
    // As Microsoft Entra ID does: the user's claims in the ID token itself.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    findAccount: async (_context, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, ...claimsFor(id) }),
    }),
    loadExistingGrant: async (context) => {
      const grant = new context.oidc.provider.Grant({
        clientId: context.oidc.client?.clientId,
        accountId: context.oidc.session?.accountId,
      });
      grant.addOIDCScope("openid email profile");
      grant.addOIDCClaims(["email", "email_verified", "name", "preferred_username"]);
      await grant.save();
      return grant;
    },
  });
  handler = provider.callback();
  const key = createPrivateKey({ key: jwk, format: "jwk" });
  return {
    issuer,
    clientId,
    clientSecret,
    env: {
      BASEPLAN_OIDC_ISSUER: issuer,
      BASEPLAN_OIDC_CLIENT_ID: clientId,
      BASEPLAN_OIDC_CLIENT_SECRET: clientSecret,
      BASEPLAN_OIDC_REDIRECT_URL: options.redirectUrl,
      BASEPLAN_OIDC_PROVIDER_NAME: options.providerName ?? "Test Council account",
    },
    resign(idToken, changes) {
      const [header = "", payload = ""] = idToken.split(".");
      const claims = { ...JSON.parse(Buffer.from(payload, "base64url").toString("utf8")), ...changes };
      const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
      return `${body}.${sign("sha256", Buffer.from(body), key).toString("base64url")}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Cookies by name, sent back on every request (paths ignored: one test, one provider). */
class CookieJar {
  readonly #cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      if (at > 0) this.#cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/**
 * Goes through the provider's pages as a browser would, from Baseplan's redirect to the
 * provider: signs in as `login` (or, with `abort`, cancels), and returns the query string the
 * provider sends back to Baseplan's callback.
 */
export async function throughProvider(
  authorizationUrl: string,
  redirectUrl: string,
  action: { login: string } | { abort: true },
): Promise<string> {
  const jar = new CookieJar();
  let url = authorizationUrl;
  let init: RequestInit | undefined;
  for (let step = 0; step < 12; step += 1) {
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init?.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.take(response);
    const location = response.headers.get("location");
    if (location) {
      const next = new URL(location, url);
      if (next.href.startsWith(redirectUrl)) return next.search;
      url = next.href;
      init = undefined;
      continue;
    }
    const page = await response.text();
    if (response.status !== 200)
      throw new Error(`The provider answered ${response.status}: ${page.slice(0, 500)}`);
    if ("abort" in action) {
      const abort = /href="([^"]*\/abort)"/.exec(page)?.[1];
      if (!abort) throw new Error("No cancel link on the provider's page");
      url = new URL(abort, url).href;
      init = undefined;
      continue;
    }
    const submit = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
    if (!submit) throw new Error(`No form on the provider's page: ${page.slice(0, 500)}`);
    const prompt = /name="prompt" value="([^"]+)"/.exec(page)?.[1] ?? "login";
    url = new URL(submit.replace(/&amp;/g, "&"), url).href;
    init = {
      method: "POST",
      body: new URLSearchParams({ prompt, login: action.login, password: "any" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    };
  }
  throw new Error("The provider did not send the browser back to Baseplan");
}
