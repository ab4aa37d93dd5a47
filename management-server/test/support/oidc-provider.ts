// A real OpenID provider for tests (oidc-provider) on loopback, and a cookie jar to play the browser.
// Its login and consent are done by the test: the interaction page signs in `loginAs` (an account id
// the test sets) and grants what was asked, or refuses (access_denied) when loginAs is null.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface TestAccount {
  /** The subject (the account id at the provider). */
  sub: string;
  email?: string;
  email_verified?: boolean | string;
}

export interface TestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  token_endpoint_auth_method: "client_secret_basic" | "client_secret_post";
}

export interface TestOidcProviderOptions {
  clients: TestClient[];
  /** Client authentication methods the provider offers (its discovery document says so). */
  clientAuthMethods?: string[];
  /**
   * true (oidc-provider's default): scope claims (email…) only from userinfo; false: in the ID token.
   */
  conformIdTokenClaims?: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  accounts: Map<string, TestAccount>;
  /** The account the next interaction signs in; null: the user refuses (access_denied). */
  loginAs: string | null;
  close(): Promise<void>;
}

// oidc-provider ships no types: the little of it used here.
interface Interaction {
  params: Record<string, unknown>;
}
interface Grant {
  addOIDCScope(scope: string): void;
  save(): Promise<string>;
}
interface Provider {
  Grant: new (init: { accountId: string; clientId: string }) => Grant;
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => Provider;

export async function startOidcProvider(options: TestOidcProviderOptions): Promise<TestOidcProvider> {
  const specifier: string = "oidc-provider";
  const { default: Provider } = (await import(specifier)) as { default: ProviderConstructor };
  const accounts = new Map<string, TestAccount>();
  const signingKey = {
    ...generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" }),
    kid: "test-key",
    use: "sig",
    alg: "RS256",
  };

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const state: TestOidcProvider = {
    issuer,
    accounts,
    loginAs: null,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };

  const provider = new Provider(issuer, {
    clients: options.clients,
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    ...(options.clientAuthMethods ? { clientAuthMethods: options.clientAuthMethods } : {}),
    conformIdTokenClaims: options.conformIdTokenClaims ?? true,
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    features: { devInteractions: { enabled: false } },
    ttl: {
      Interaction: 600,
      Session: 600,
      Grant: 600,
      AccessToken: 600,
      IdToken: 600,
      AuthorizationCode: 60,
    },
    pkce: { required: () => true },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, id: string) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        async claims() {
          const claims: Record<string, unknown> = { sub: id };
          if (account.email !== undefined) claims.email = account.email;
          if (account.email_verified !== undefined) claims.email_verified = account.email_verified;
          return claims;
        },
      };
    },
  });
  const handle = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse) {
    const details = await provider.interactionDetails(req, res);
    const accountId = state.loginAs;
    if (accountId === null) {
      await provider.interactionFinished(
        req,
        res,
        { error: "access_denied", error_description: "the test user said no" },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith("/interaction/")) {
      interaction(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    handle(req, res);
  });
  return state;
}

/** A browser's cookies for one site (names only: paths and domains are not told apart). */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq === -1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = "", raw = ""] = attribute.split("=").map((part) => part.trim());
        if (key.toLowerCase() === "max-age") return Number(raw) <= 0;
        if (key.toLowerCase() === "expires") return Date.parse(raw) <= Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}
