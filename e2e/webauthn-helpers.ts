// Security keys in a real Chromium: the DevTools protocol's virtual authenticator (a CTAP2 key
// with user verification) answers navigator.credentials.create()/get() as a YubiKey would.
// Also: the Settings controls for keys, the sign-in step with a key, and what an attacker's
// script would do with a key's answers (capture, replay, sign someone else's challenge).
import type { CDPSession, Locator, Page, Request } from "@playwright/test";
import type { Ceremony, RegistrationJSON, SoftAuthenticator } from "../lib/test-support/soft-authenticator";
import { expect, formAlert, type Credentials } from "./fixtures";
import { mainButton, passPasswordStep } from "./sign-in-helpers";

export const KEY_NOT_VERIFIED = "That security key response could not be verified. Try again, or use your authenticator app.";
export const KEY_NOT_REGISTERED = "That security key is not registered to this account.";
export const KEY_USED_OR_EXPIRED = "That security key response was already used or has expired. Try again.";
export const KEY_ALREADY_REGISTERED = "That security key is already registered.";
export const keyAddedMessage = (name: string) => `Security key “${name}” added. You can use it the next time you sign in.`;

/** A credential as the DevTools protocol shows it (ids and keys in standard base64). */
export type VirtualCredential = {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
};

/** The JSON the app's sign-in step sends as the "code" of method "webauthn". */
export type AssertionJSON = {
  id: string;
  rawId: string;
  type: string;
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
  clientExtensionResults: Record<string, unknown>;
};

export type RequestOptionsJSON = {
  challenge: string;
  rpId?: string;
  timeout?: number;
  userVerification?: string;
  allowCredentials?: { id: string; type: string; transports?: string[] }[];
};

/** The DevTools protocol's ids are standard base64; WebAuthn JSON uses base64url. */
export const toBase64Url = (base64: string) => Buffer.from(base64, "base64").toString("base64url");

/** One virtual authenticator attached to one tab (it follows the tab across navigations). */
export class VirtualAuthenticator {
  private constructor(
    readonly cdp: CDPSession,
    readonly authenticatorId: string,
  ) {}

  /** WebAuthn.enable + WebAuthn.addVirtualAuthenticator: CTAP2 over USB, with user verification, always touched. */
  static async attach(page: Page): Promise<VirtualAuthenticator> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable", { enableUI: false });
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        ctap2Version: "ctap2_1",
        transport: "usb",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return new VirtualAuthenticator(cdp, authenticatorId);
  }

  async credentials(): Promise<VirtualCredential[]> {
    const { credentials } = await this.cdp.send("WebAuthn.getCredentials", { authenticatorId: this.authenticatorId });
    return credentials as VirtualCredential[];
  }

  /** The one credential this authenticator holds (fails if there are more or none). */
  async onlyCredential(): Promise<VirtualCredential> {
    const credentials = await this.credentials();
    expect(credentials, "the virtual authenticator should hold exactly one credential").toHaveLength(1);
    return credentials[0] as VirtualCredential;
  }

  /** Puts a credential (private key included) on this authenticator: a copy of a key, or an old copy of it. */
  async addCredential(credential: VirtualCredential): Promise<void> {
    await this.cdp.send("WebAuthn.addCredential", { authenticatorId: this.authenticatorId, credential });
  }

  async removeCredential(credentialId: string): Promise<void> {
    await this.cdp.send("WebAuthn.removeCredential", { authenticatorId: this.authenticatorId, credentialId });
  }

  async detach(): Promise<void> {
    await this.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: this.authenticatorId });
    await this.cdp.detach();
  }
}

/**
 * Replaces navigator.credentials.create() in this tab with the software authenticator of
 * lib/test-support, run in the test process. Unlike a browser it ignores excludeCredentials and
 * answers with its one credential every time: what a modified client could send, so the
 * server's own duplicate check is what is tested. Takes effect on the next page load.
 */
export async function installSoftAuthenticator(page: Page, key: SoftAuthenticator): Promise<void> {
  await page.exposeFunction("softAuthenticatorRegister", (ceremony: Ceremony): RegistrationJSON => key.register(ceremony));
  await page.addInitScript(() => {
    const register = (window as unknown as { softAuthenticatorRegister: (c: Ceremony) => Promise<RegistrationJSON> })
      .softAuthenticatorRegister;
    const toBytes = (value: string) => {
      const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
      return Uint8Array.from(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)), (char) => char.charCodeAt(0)).buffer;
    };
    const toText = (buffer: BufferSource) =>
      btoa(String.fromCharCode(...new Uint8Array(buffer instanceof ArrayBuffer ? buffer : buffer.buffer)))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
    navigator.credentials.create = async (options?: CredentialCreationOptions) => {
      const publicKey = options?.publicKey;
      if (!publicKey) throw new DOMException("Only publicKey credentials", "NotSupportedError");
      const json = await register({
        challenge: toText(publicKey.challenge),
        rpId: publicKey.rp.id ?? location.hostname,
        origin: location.origin,
      });
      return {
        id: json.id,
        rawId: toBytes(json.rawId),
        type: json.type,
        authenticatorAttachment: json.authenticatorAttachment,
        response: {
          clientDataJSON: toBytes(json.response.clientDataJSON),
          attestationObject: toBytes(json.response.attestationObject),
          getTransports: () => json.response.transports,
        },
        getClientExtensionResults: () => ({}),
      } as unknown as Credential;
    };
  });
  await page.reload();
}

// ---------------------------------------------------------------------------------------------
// Settings

export const keysList = (page: Page) => page.getByRole("main").getByRole("list", { name: "Your security keys" });
export const noKeysText = (page: Page) => page.getByRole("main").getByText("No security keys yet.", { exact: true });
export const addKeyForm = (page: Page) => page.getByRole("main").getByRole("form", { name: "Add security key" });

/** The list item of the key called `name` (its name is a line of its own). */
export function keyRow(page: Page, name: string): Locator {
  return keysList(page)
    .getByRole("listitem")
    .filter({ has: page.getByText(name, { exact: true }) });
}

/** "5 March 2026", as Settings writes dates (UTC). */
export function settingsDate(ms = Date.now()): string {
  return new Date(ms).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

/** Fills the Add security key form and submits it; the authenticator answers by itself. */
export async function submitAddKey(page: Page, name: string) {
  const form = addKeyForm(page);
  await form.getByLabel("Key name", { exact: true }).fill(name);
  await form.getByRole("button", { name: "Add security key", exact: true }).click();
}

/** Adds a key from Settings and waits until it is listed as added today and never used. */
export async function addSecurityKey(page: Page, name: string) {
  await submitAddKey(page, name);
  // Settings may also show its own notice (?notice=…): pick the add form's.
  const added = page.getByRole("main").getByRole("status").filter({ hasText: /^Security key “/ });
  await expect(added).toHaveText(keyAddedMessage(name));
  await expect(keyRow(page, name)).toContainText(`Added ${settingsDate()} · never used`);
}

// ---------------------------------------------------------------------------------------------
// Signing in

export const securityKeyButton = (page: Page) => mainButton(page, "Use your security key");

const isCredentialsCallback = (request: Request) =>
  request.method() === "POST" && request.url().includes("/api/auth/callback/credentials");

/**
 * Presses "Use your security key" and waits for NextAuth's answer. Returns the assertion the
 * browser sent (what someone watching the traffic would have), parsed from the form it posted.
 */
export async function pressSecurityKey(page: Page): Promise<string> {
  const sent = page.waitForRequest(isCredentialsCallback);
  const answered = page.waitForResponse((response) => isCredentialsCallback(response.request()));
  await securityKeyButton(page).click();
  const request = await sent;
  await answered;
  const form = new URLSearchParams(request.postData() ?? "");
  expect(form.get("method")).toBe("webauthn");
  return form.get("code") ?? "";
}

/** Password, then the key: ends on the home page, signed in. Returns the assertion that did it. */
export async function signInWithSecurityKey(page: Page, credentials: Credentials): Promise<string> {
  await passPasswordStep(page, credentials);
  await expect(securityKeyButton(page)).toBeVisible();
  const assertion = await pressSecurityKey(page);
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { name: "Home" })).toBeVisible();
  return assertion;
}

/** Presses "Use your security key" and expects it refused with `message`, still on the code step. */
export async function expectKeyRefused(page: Page, message: string) {
  await pressSecurityKey(page);
  await expect(formAlert(page)).toHaveText(message);
  await expect(securityKeyButton(page)).toBeEnabled();
}

/** POST /api/sign-in/security-key from the page, as the sign-in form does: this sign-in's key options. */
export async function fetchKeyOptions(page: Page): Promise<RequestOptionsJSON> {
  const body = await page.evaluate(async () => {
    const response = await fetch("/api/sign-in/security-key", { method: "POST" });
    return { status: response.status, json: (await response.json()) as { options?: unknown } };
  });
  expect(body.status, JSON.stringify(body.json)).toBe(200);
  return body.json.options as RequestOptionsJSON;
}

/**
 * navigator.credentials.get() in the page with options of the test's choosing (another user's
 * challenge, another allow-list) on whatever origin the page is at; returns the JSON the app's
 * sign-in step would send, encoded the way @simplewebauthn/browser encodes it.
 */
export async function getAssertionInPage(page: Page, options: RequestOptionsJSON): Promise<AssertionJSON> {
  return page.evaluate(async (json) => {
    const toBytes = (value: string) => {
      const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
      const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
      return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
    };
    const toText = (buffer: ArrayBuffer) =>
      btoa(String.fromCharCode(...new Uint8Array(buffer)))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
    const credential = (await navigator.credentials.get({
      publicKey: {
        challenge: toBytes(json.challenge),
        rpId: json.rpId,
        timeout: json.timeout,
        userVerification: json.userVerification as UserVerificationRequirement | undefined,
        allowCredentials: json.allowCredentials?.map((allowed) => ({
          type: "public-key" as const,
          id: toBytes(allowed.id),
          transports: allowed.transports as AuthenticatorTransport[] | undefined,
        })),
      },
    })) as PublicKeyCredential | null;
    if (!credential) throw new Error("navigator.credentials.get() returned nothing");
    const response = credential.response as AuthenticatorAssertionResponse;
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: {
        clientDataJSON: toText(response.clientDataJSON),
        authenticatorData: toText(response.authenticatorData),
        signature: toText(response.signature),
        ...(response.userHandle ? { userHandle: toText(response.userHandle) } : {}),
      },
      clientExtensionResults: {},
    };
  }, options);
}

/** The origin and challenge the browser wrote into an assertion's clientDataJSON. */
export function clientDataOf(assertion: AssertionJSON | string): { origin: string; challenge: string; type: string } {
  const parsed = typeof assertion === "string" ? (JSON.parse(assertion) as AssertionJSON) : assertion;
  return JSON.parse(Buffer.from(parsed.response.clientDataJSON, "base64url").toString("utf8"));
}
