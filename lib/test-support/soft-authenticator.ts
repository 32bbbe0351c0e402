// A software security key for tests: a P-256 key pair from node:crypto that answers WebAuthn
// ceremonies the way a real authenticator and browser would together. Registration gives an
// attestation "none" attestationObject (CBOR) whose authenticator data carries the credential and
// its COSE public key; an assertion is authenticatorData (RP ID hash, flags, counter) plus
// clientDataJSON, signed (ES256, DER) over authData || SHA-256(clientDataJSON).
// Only node:crypto: the e2e specs import it too.
import crypto from "node:crypto";

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export type RegistrationJSON = {
  id: string;
  rawId: string;
  type: "public-key";
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
  clientExtensionResults: Record<string, never>;
  authenticatorAttachment: "cross-platform";
};

export type AssertionJSON = {
  id: string;
  rawId: string;
  type: "public-key";
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
  clientExtensionResults: Record<string, never>;
  authenticatorAttachment: "cross-platform";
};

/** What a ceremony is bound to: the server's challenge, the RP ID the key hashes, the page's origin. */
export type Ceremony = { challenge: string; rpId: string; origin: string };

export type AssertionOverrides = {
  /** The signature counter to report, instead of the next one. */
  counter?: number;
  /** clientDataJSON's type (a registration's "webauthn.create" where a "webauthn.get" belongs, say). */
  type?: string;
  /** Authenticator data flags (default UP | UV). */
  flags?: number;
};

// --- A minimal CBOR encoder: unsigned and negative integers, byte and text strings, maps. ---------

type CborValue = number | string | Uint8Array | Map<number | string, CborValue>;

function cborHead(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) {
    const head = Buffer.alloc(3);
    head[0] = (major << 5) | 25;
    head.writeUInt16BE(length, 1);
    return head;
  }
  const head = Buffer.alloc(5);
  head[0] = (major << 5) | 26;
  head.writeUInt32BE(length, 1);
  return head;
}

export function cbor(value: CborValue): Buffer {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Error("cbor: integers only");
    return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  }
  if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    return Buffer.concat([cborHead(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), value]);
  const parts = [cborHead(5, value.size)];
  for (const [key, entry] of value) parts.push(cbor(key), cbor(entry));
  return Buffer.concat(parts);
}

// --- The authenticator ---------------------------------------------------------------------------

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => crypto.createHash("sha256").update(data).digest();

function counterBytes(counter: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(counter, 0);
  return bytes;
}

function clientData(type: string, { challenge, origin }: Ceremony): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), "utf8");
}

export class SoftAuthenticator {
  readonly credentialId: Buffer;
  readonly aaguid = Buffer.alloc(16);
  private readonly privateKey: crypto.KeyObject;
  private readonly publicKey: crypto.KeyObject;
  /** The counter of the last signature; with `counts: false` it stays 0 (as many keys do). */
  signCount: number;
  private readonly counts: boolean;

  constructor({ counts = true, signCount = 0, credentialId }: { counts?: boolean; signCount?: number; credentialId?: Buffer } = {}) {
    const pair = crypto.generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.credentialId = credentialId ?? crypto.randomBytes(32);
    this.counts = counts;
    this.signCount = signCount;
  }

  /** A copy holding the same private key and credential id: a cloned key, with its own counter. */
  clone(): SoftAuthenticator {
    const copy = Object.create(SoftAuthenticator.prototype) as SoftAuthenticator;
    Object.assign(copy, this);
    return copy;
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** The COSE_Key of the public key: kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y. */
  cosePublicKey(): Buffer {
    const jwk = this.publicKey.export({ format: "jwk" });
    if (!jwk.x || !jwk.y) throw new Error("not an EC key");
    return cbor(
      new Map<number, CborValue>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x, "base64url")],
        [-3, Buffer.from(jwk.y, "base64url")],
      ]),
    );
  }

  /** navigator.credentials.create() as JSON: attestation "none", attested credential data included. */
  register(ceremony: Ceremony): RegistrationJSON {
    const credentialIdLength = Buffer.alloc(2);
    credentialIdLength.writeUInt16BE(this.credentialId.length, 0);
    const authData = Buffer.concat([
      sha256(ceremony.rpId),
      Buffer.from([FLAG_UP | FLAG_UV | FLAG_AT]),
      counterBytes(this.signCount),
      this.aaguid,
      credentialIdLength,
      this.credentialId,
      this.cosePublicKey(),
    ]);
    const attestationObject = cbor(
      new Map<string, CborValue>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientData("webauthn.create", ceremony)),
        attestationObject: b64url(attestationObject),
        transports: ["usb"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "cross-platform",
    };
  }

  /** navigator.credentials.get() as JSON, signing `ceremony` with the next counter value. */
  assert(ceremony: Ceremony, overrides: AssertionOverrides = {}): AssertionJSON {
    const counter = overrides.counter ?? (this.counts ? this.signCount + 1 : 0);
    this.signCount = Math.max(this.signCount, counter);
    const authenticatorData = Buffer.concat([
      sha256(ceremony.rpId),
      Buffer.from([overrides.flags ?? FLAG_UP | FLAG_UV]),
      counterBytes(counter),
    ]);
    const clientDataJSON = clientData(overrides.type ?? "webauthn.get", ceremony);
    const signature = crypto.sign("sha256", Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
      },
      clientExtensionResults: {},
      authenticatorAttachment: "cross-platform",
    };
  }
}
