// Crash safety: the server is killed with SIGKILL at random moments while several users enrol,
// sign in with backup codes, make new codes and turn two-factor off, over and over (at least 30
// kills), and restarted at once. After every kill the database must be consistent: two-factor
// fully on (a secret that decrypts and 10 codes) or fully off, no code both used and usable,
// nothing the client was told is done undone, and SQLite's integrity check passes.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { submit } from "./support/actions";
import { backupCodeHash, openTotpSecret } from "./support/app-crypto";
import { openDb } from "./support/db";
import { csrfToken, newAccount, passwordStep, postSecondStep, readSetupKey, type Account } from "./support/flows";
import { Client, type RequestObserver } from "./support/http";
import { recordSecret } from "./support/run-dir";
import { startServer } from "./support/server";
import { stepAt, totpForStep } from "./support/totp";

const KILLS = 32;
const ACTORS = 3;
const BUDGET_MS = 110_000;
// The kill comes right after a random number of answers (so it lands mid-flow whatever the
// machine's speed), plus a few random milliseconds; at the latest after KILL_AFTER_MS.
const KILL_AFTER_ANSWERS = [1, 14] as const;
const KILL_AFTER_MS = 4000;
// Three kills in four are aimed: they wait for a request of that flow to be on its way (a few
// random milliseconds in), so every flow is hit mid-request whichever flows happen to be quick.
const KILL_AIMS = ["enrol", "sign-in", "disable", null] as const;

type FlowKind = "enrol" | "sign-in" | "disable" | "regenerate";
type Factor = { method: "totp" | "backup"; code: string };
type Actor = {
  account: Account;
  id: number;
  client: Client | null;
  on: boolean;
  secret: string | null;
  codes: string[];
  lastUsedStep: number;
  /** The state-changing request this actor has in flight (it may or may not commit before a kill). */
  inFlight: { kind: "acknowledge" | "disable" | "regenerate" | "spend"; code?: string } | null;
};
/** What a client was told succeeded: it must survive the kill. */
type Ack =
  | { kind: "enrolled"; actor: Actor; secret: string; codes: string[] }
  | { kind: "code-spent"; actor: Actor; code: string }
  | { kind: "disabled"; actor: Actor }
  | { kind: "regenerated"; actor: Actor; codes: string[] };

class Interrupted extends Error {}

test("SIGKILL at random moments during enrolment, sign-in and disabling leaves the database consistent", async () => {
  test.setTimeout(BUDGET_MS + 60_000);
  const server = await startServer("crash");
  const key = server.secrets.encryptionKey;
  const inFlight = new Map<string, number>();
  const killedDuring = new Map<string, number>();
  const inFlightTotal = new Map<string, number>();
  let answers = 0;
  let onAnswer = () => {};
  let onStart = () => {};
  const observer: RequestObserver = {
    started: (label) => {
      inFlight.set(label, (inFlight.get(label) ?? 0) + 1);
      inFlightTotal.set(label, (inFlightTotal.get(label) ?? 0) + 1);
      onStart();
    },
    finished: (label) => {
      inFlight.set(label, (inFlight.get(label) ?? 1) - 1);
      answers++;
      onAnswer();
    },
  };
  /** Resolves after `count` more answers, a few random milliseconds later (or after KILL_AFTER_MS). */
  const afterAnswers = (count: number) =>
    new Promise<void>((resolve) => {
      const target = answers + count;
      const timer = setTimeout(resolve, KILL_AFTER_MS);
      onAnswer = () => {
        if (answers < target) return;
        onAnswer = () => {};
        clearTimeout(timer);
        setTimeout(resolve, Math.random() * 15);
      };
    });
  /** Resolves a few random milliseconds after a request of `kind` is on its way (or after KILL_AFTER_MS). */
  const whileInFlight = (kind: FlowKind) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, KILL_AFTER_MS);
      onStart = () => {
        if ((inFlight.get(kind) ?? 0) === 0) return;
        onStart = () => {};
        clearTimeout(timer);
        setTimeout(resolve, Math.random() * 4);
      };
      onStart();
    });
  let killed = false;

  const tracked = (label: FlowKind): Client => {
    const client = new Client(server);
    client.observer = observer;
    client.label = label;
    return client;
  };
  /** Once the server is dead every request fails: that is an interruption, not a test failure. */
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (killed) throw new Interrupted(String(error));
      throw error;
    }
  };

  async function newActor(): Promise<Actor> {
    const account = newAccount("crash");
    const client = tracked("sign-in");
    const created = await submit(client, "createAccount", { email: account.email, password: account.password, confirmPassword: account.password });
    expect(created.outcome).toMatchObject({ value: { status: "success" } });
    expect((await postSecondStep(client, await csrfToken(client))).ok).toBe(true);
    const db = openDb(server.dbPath);
    const { id } = db.prepare("SELECT id FROM users WHERE email = ?").get(account.email) as { id: number };
    db.close();
    return { account, id, client, on: false, secret: null, codes: [], lastUsedStep: 0, inFlight: null };
  }

  /** A second factor the actor can still use: a known unused backup code, else a fresh TOTP step. */
  function takeFactor(actor: Actor): Factor | null {
    const code = actor.codes[Math.floor(Math.random() * actor.codes.length)];
    if (code) return { method: "backup", code };
    const step = Math.max(actor.lastUsedStep + 1, stepAt() - 1);
    if (!actor.secret || step > stepAt() + 1) return null;
    actor.lastUsedStep = step;
    return { method: "totp", code: totpForStep(actor.secret, step) };
  }

  function spent(actor: Actor, factor: Factor | null, acks: Ack[]) {
    if (factor?.method !== "backup") return;
    acks.push({ kind: "code-spent", actor, code: factor.code });
    actor.codes = actor.codes.filter((code) => code !== factor.code);
  }

  async function signInFlow(actor: Actor, acks: Ack[]): Promise<void> {
    const factor = actor.on ? takeFactor(actor) : null;
    if (actor.on && !factor) return;
    const client = tracked("sign-in");
    const password = await guard(() => passwordStep(client, actor.account));
    if (password.status !== 200) throw new Error(`password step for ${actor.account.email}: ${password.status} ${password.text}`);
    const csrf = await guard(() => csrfToken(client));
    actor.inFlight = factor?.method === "backup" ? { kind: "spend", code: factor.code } : null;
    const step = await guard(() => postSecondStep(client, csrf, factor ?? {}));
    if (!step.ok) throw new Error(`second step for ${actor.account.email} with ${factor?.method}: ${step.error}`);
    actor.inFlight = null;
    spent(actor, factor, acks);
    actor.client = client;
  }

  async function enrolFlow(actor: Actor, acks: Ack[]) {
    if (!actor.client) await signInFlow(actor, acks);
    const client = actor.client!;
    client.label = "enrol";
    const begun = await guard(() => submit(client, "beginEnrollment"));
    expect(begun.outcome).toMatchObject({ value: { status: "success" } });
    const secret = await guard(() => readSetupKey(client));
    const step = stepAt();
    const verified = await guard(() => submit(client, "verifyEnrollmentCode", { code: totpForStep(secret, step) }));
    expect(verified.outcome).toMatchObject({ value: { status: "success" } });
    const codes = (verified.outcome.kind === "result" ? (verified.outcome.value.data as { codes: string[] }).codes : []) ?? [];
    codes.forEach((code) => recordSecret("backup-code", code));
    actor.inFlight = { kind: "acknowledge" };
    const done = await guard(() => submit(client, "acknowledgeBackupCodes", { acknowledged: "on" }));
    expect(done.outcome).toMatchObject({ value: { status: "success" } });
    actor.inFlight = null;
    acks.push({ kind: "enrolled", actor, secret, codes });
    Object.assign(actor, { on: true, secret, codes, lastUsedStep: step });
  }

  async function manageFlow(actor: Actor, kind: "disable" | "regenerate", acks: Ack[]) {
    if (!actor.client) await signInFlow(actor, acks);
    const client = actor.client;
    const factor = takeFactor(actor);
    if (!client || !factor) return;
    client.label = kind;
    actor.inFlight = { kind, code: factor.method === "backup" ? factor.code : undefined };
    const call = await guard(() => submit(client, kind === "disable" ? "disableTwoFactorAction" : "generateNewBackupCodesAction", factor));
    expect(call.outcome, `${kind} for ${actor.account.email}`).toMatchObject({ value: { status: "success" } });
    actor.inFlight = null;
    spent(actor, factor, acks);
    if (kind === "disable") {
      acks.push({ kind: "disabled", actor });
      Object.assign(actor, { on: false, secret: null, codes: [] });
    } else {
      const codes = (call.outcome.kind === "result" ? (call.outcome.value.data as { codes: string[] }).codes : []) ?? [];
      codes.forEach((code) => recordSecret("backup-code", code));
      acks.push({ kind: "regenerated", actor, codes });
      actor.codes = codes;
    }
  }

  /** One actor does flow after flow (enrol, sign in, new codes, disable...) until the kill. */
  async function keepBusy(actor: Actor, acks: Ack[], flowsRun: Map<FlowKind, number>) {
    const requests = () => [...inFlightTotal.values()].reduce((sum, count) => sum + count, 0);
    while (!killed) {
      const kind: FlowKind = !actor.on ? "enrol" : (["sign-in", "sign-in", "disable", "regenerate"] as const)[Math.floor(Math.random() * 4)]!;
      flowsRun.set(kind, (flowsRun.get(kind) ?? 0) + 1);
      const before = requests();
      if (kind === "enrol") await enrolFlow(actor, acks);
      else if (kind === "sign-in") await signInFlow(actor, acks);
      else await manageFlow(actor, kind, acks);
      // No factor left to use (no request was made): wait for the kill instead of spinning.
      if (requests() === before) return;
    }
  }

  type UserRow = { id: number; secret: string | null };

  /** Everything that must hold after any crash, for every user in the database. */
  function checkConsistency(actors: Actor[], acks: Ack[]) {
    const db = openDb(server.dbPath);
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(db.pragma("foreign_key_check")).toEqual([]);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      const users = db.prepare("SELECT u.id, t.secret_encrypted AS secret FROM users u LEFT JOIN two_factor t ON t.user_id = u.id").all() as UserRow[];
      for (const user of users) {
        const codes = db.prepare("SELECT pending, used_at AS usedAt FROM backup_codes WHERE user_id = ?").all(user.id) as { pending: number; usedAt: number | null }[];
        const active = codes.filter((code) => code.pending === 0).length;
        const pending = codes.length - active;
        const enrolment = db.prepare("SELECT stage, verified_step AS verifiedStep FROM two_factor_enrollments WHERE user_id = ? AND purpose = 'enable'").get(user.id) as
          | { stage: string; verifiedStep: number | null }
          | undefined;
        if (user.secret !== null) {
          expect(openTotpSecret(key, user.id, user.secret), `user ${user.id}: the stored secret decrypts`).toMatch(/^[A-Z2-7]{32}$/);
          expect(active, `user ${user.id}: two-factor on with exactly 10 backup codes`).toBe(10);
        } else {
          expect(active, `user ${user.id}: two-factor off and no backup codes left behind`).toBe(0);
          expect(db.prepare("SELECT COUNT(*) AS n FROM security_keys WHERE user_id = ?").get(user.id)).toEqual({ n: 0 });
        }
        expect([0, 10], `user ${user.id}: pending codes come in whole sets`).toContain(pending);
        if (pending > 0) {
          expect(enrolment?.stage, `user ${user.id}: pending codes belong to a verified enrolment`).toBe("codes");
          expect(user.secret, `user ${user.id}: pending codes only while two-factor is off`).toBeNull();
        }
        if (enrolment?.stage === "codes") expect(enrolment.verifiedStep).not.toBeNull();
        expect(codes.filter((code) => code.pending === 1 && code.usedAt !== null), `user ${user.id}: a pending code was used`).toEqual([]);
      }

      const usable = (actor: Actor, code: string) =>
        (db.prepare("SELECT COUNT(*) AS n FROM backup_codes WHERE user_id = ? AND code_hash = ? AND pending = 0 AND used_at IS NULL").get(actor.id, backupCodeHash(key, code)) as { n: number })
          .n === 1;
      // A code the client was told is spent is never usable again.
      for (const ack of acks) if (ack.kind === "code-spent") expect(usable(ack.actor, ack.code), `user ${ack.actor.id}: a spent backup code is usable again`).toBe(false);
      // The last thing each client was told holds, give or take the one request it had in flight.
      for (const actor of actors) {
        const mine = acks.filter((ack) => ack.actor === actor);
        const lastState = mine.filter((ack) => ack.kind === "enrolled" || ack.kind === "disabled").at(-1);
        const secret = users.find((user) => user.id === actor.id)?.secret ?? null;
        if (lastState?.kind === "disabled" && actor.inFlight?.kind !== "acknowledge") expect(secret, `user ${actor.id}: told "off", found on`).toBeNull();
        if (lastState?.kind === "enrolled" && actor.inFlight?.kind !== "disable") {
          expect(openTotpSecret(key, actor.id, secret ?? ""), `user ${actor.id}: told "on" with this secret`).toBe(lastState.secret);
        }
        // The newest set of codes the client was shown, unless a later "off" threw every code away.
        const lastSetIndex = mine.findLastIndex((ack) => ack.kind === "enrolled" || ack.kind === "regenerated");
        const lastSet = lastSetIndex > mine.findLastIndex((ack) => ack.kind === "disabled") ? (mine[lastSetIndex] as Extract<Ack, { codes: string[] }>) : undefined;
        if (lastSet && (actor.inFlight === null || actor.inFlight.kind === "spend")) {
          const spentCodes = new Set(mine.flatMap((ack) => (ack.kind === "code-spent" ? [ack.code] : [])));
          for (const code of lastSet.codes) {
            if (spentCodes.has(code) || code === actor.inFlight?.code) continue;
            expect(usable(actor, code), `user ${actor.id}: a backup code shown to the client and never used is gone`).toBe(true);
          }
        }
      }
    } finally {
      db.close();
    }
  }

  /** After a restart: what each actor still knows, against the database (a kill may have eaten an answer). */
  async function reconcile(actors: Actor[]): Promise<Actor[]> {
    const db = openDb(server.dbPath);
    const locked = new Set<Actor>();
    for (const actor of actors) {
      const row = db.prepare("SELECT secret_encrypted AS secret, last_used_step AS lastUsedStep, locked_until AS lockedUntil FROM two_factor WHERE user_id = ?").get(actor.id) as
        | { secret: string; lastUsedStep: number; lockedUntil: number | null }
        | undefined;
      actor.codes = actor.codes.filter(
        (code) => (db.prepare("SELECT COUNT(*) AS n FROM backup_codes WHERE user_id = ? AND code_hash = ? AND pending = 0 AND used_at IS NULL").get(actor.id, backupCodeHash(key, code)) as { n: number }).n === 1,
      );
      actor.on = row !== undefined;
      actor.secret = row ? openTotpSecret(key, actor.id, row.secret) : null;
      actor.lastUsedStep = row?.lastUsedStep ?? 0;
      actor.inFlight = null;
      if ((row?.lockedUntil ?? 0) > Date.now()) locked.add(actor);
    }
    db.close();
    const next: Actor[] = [];
    for (const actor of actors) {
      if (actor.client) {
        const session = await actor.client.get("/api/auth/session");
        if (!session.json<{ user?: unknown }>().user) actor.client = null;
      }
      const stuck = locked.has(actor) || (actor.on && !actor.client && actor.codes.length === 0 && Math.max(actor.lastUsedStep + 1, stepAt() - 1) > stepAt() + 1);
      next.push(stuck ? await newActor() : actor);
    }
    return next;
  }

  let actors: Actor[] = [];
  for (let i = 0; i < ACTORS; i++) actors.push(await newActor());
  const started = Date.now();
  const flowsRun = new Map<FlowKind, number>();
  let kills = 0;
  let restartMs = 0;
  try {
    while (kills < KILLS && Date.now() - started < BUDGET_MS) {
      actors = await reconcile(actors);
      killed = false;
      const acks: Ack[] = [];
      const busy = Promise.allSettled(
        actors.map((actor) =>
          keepBusy(actor, acks, flowsRun).catch((error: unknown) => {
            if (!(error instanceof Interrupted)) throw error;
          }),
        ),
      );
      const [fewest, most] = KILL_AFTER_ANSWERS;
      const aim = KILL_AIMS[kills % KILL_AIMS.length];
      await (aim ? whileInFlight(aim) : afterAnswers(fewest + Math.floor(Math.random() * (most - fewest + 1))));
      for (const [label, count] of inFlight) if (count > 0) killedDuring.set(label, (killedDuring.get(label) ?? 0) + 1);
      killed = true;
      await server.kill();
      kills++;
      for (const result of await busy) if (result.status === "rejected") throw result.reason;
      checkConsistency(actors, acks);
      const restart = Date.now();
      await server.restart();
      restartMs += Date.now() - restart;
    }
  } finally {
    await server.stop();
  }
  console.log(
    `kills: ${kills} in ${((Date.now() - started) / 1000).toFixed(1)} s (restarts ${Math.round(restartMs / Math.max(kills, 1))} ms each); ` +
      `flows started: ${JSON.stringify(Object.fromEntries(flowsRun))}; kills with requests in flight: ${JSON.stringify(Object.fromEntries(killedDuring))}`,
  );
  expect(kills, `kills within ${BUDGET_MS / 1000} s`).toBeGreaterThanOrEqual(30);
  // The kills really landed mid-request, in each kind of flow.
  for (const kind of ["enrol", "sign-in", "disable"] as const) expect(killedDuring.get(kind) ?? 0, `kills during ${kind} requests`).toBeGreaterThanOrEqual(2);
});

test("the server's own connection: WAL journal and synchronous=FULL", async () => {
  // SIGKILL cannot tell FULL from NORMAL (the OS keeps what was written); ask the function the server uses.
  const script = [
    'import { openDatabase } from "./db/index.ts";',
    "const db = openDatabase(process.argv[1]).$client;",
    'console.log(JSON.stringify({ journal: db.pragma("journal_mode", { simple: true }), synchronous: db.pragma("synchronous", { simple: true }) }));',
  ].join("\n");
  const file = path.join(test.info().outputDir, "pragma.db");
  const out = execFileSync(path.join(process.cwd(), "node_modules", ".bin", "tsx"), ["--eval", script, file], { encoding: "utf8", timeout: 30_000 });
  // synchronous: 2 is FULL (0 OFF, 1 NORMAL, 3 EXTRA).
  expect(JSON.parse(out.trim().split("\n").at(-1) ?? "{}")).toEqual({ journal: "wal", synchronous: 2 });
});
