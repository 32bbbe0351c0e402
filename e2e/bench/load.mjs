// Load on the two sign-in steps with autocannon: every request its own account and challenge,
// latencies kept per status (autocannon's own histogram keeps only 2xx).
import autocannon from "autocannon";
import { referenceTotp } from "./reference-totp.mjs";
import { cookieHeader, passwordStep, passwordStepRequest, secondStep, secondStepBody, signedIn } from "./http.mjs";
import { summarize } from "./stats.mjs";

const BUSY = "Many people are signing in right now";
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs autocannon with a hard stop a little after its own bound, and collects latencies per status
 * (and per `context.kind`, which setupRequest sets: the context still holds it when the answer lands).
 */
function run(options, hardStopMs) {
  const byStatus = {};
  const byKind = {};
  const errors = [];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon({ timeout: 10, ...options }, (error, result) => {
      clearTimeout(timer);
      if (error) return reject(error);
      resolve({ result, byStatus, byKind, errors, timeouts: result.timeouts, seconds: (performance.now() - started) / 1000 });
    });
    const timer = setTimeout(() => instance.stop(), hardStopMs);
    instance.on("response", (client, status, _bytes, ms) => {
      (byStatus[status] ??= []).push(ms);
      const kind = client.requestIterator?.context?.kind;
      if (kind) (byKind[kind] ??= []).push(ms);
    });
    instance.on("reqError", (error) => errors.length < 5 && errors.push(String(error?.message ?? error)));
  });
}

/**
 * Step 1 under load: `connections` clients for `seconds`. Right passwords of `users` in turn, and
 * every 8th request a wrong one until `wrongBudget` were sent (kept under the per-IP and per-account
 * throttles, which would otherwise turn later answers into 429 "locked").
 */
export async function passwordLoad(server, { connections, seconds, users, password, wrongBudget }) {
  let sent = 0;
  let wrongSent = 0;
  const answers = { busy: 0, locked: 0 };
  const { byStatus, errors, timeouts, seconds: elapsed } = await run(
    {
      url: `${server.base}/api/sign-in`,
      connections,
      duration: seconds,
      requests: [
        {
          setupRequest(request, context) {
            const n = sent++;
            const wrong = n % 8 === 7 && wrongSent < wrongBudget;
            const user = users[wrong ? wrongSent++ % users.length : n % users.length];
            context.wrong = wrong;
            const { method, headers, body } = passwordStepRequest(server, user.email, wrong ? `${password}!` : password);
            return { ...request, method, headers, body };
          },
          onResponse(status, body) {
            if (status === 429) answers[body.includes(BUSY) ? "busy" : "locked"]++;
          },
        },
      ],
    },
    (seconds + 15) * 1000,
  );
  const hashed = [...(byStatus[200] ?? []), ...(byStatus[401] ?? [])];
  const all = Object.values(byStatus).flat();
  const summary = {
    connections,
    seconds: elapsed,
    all: summarize(all, elapsed),
    hashed: summarize(hashed, elapsed),
    refused: summarize(byStatus[429] ?? [], elapsed),
    counts: Object.fromEntries(Object.entries(byStatus).map(([status, list]) => [status, list.length])),
    byStatus: Object.fromEntries(Object.entries(byStatus).map(([status, list]) => [status, summarize(list, elapsed)])),
    answers,
    wrongSent,
    errors,
    timeouts,
  };
  // Little's law on the answers that hashed: how many were in the server at once, on average.
  summary.hashedInFlight = (summary.hashed.count / elapsed) * (hashed.reduce((a, b) => a + b, 0) / Math.max(1, hashed.length) / 1000);
  return summary;
}

/** `size` password steps sent at the same moment: how many were hashed, how many refused, how fast. */
export async function burst(server, users, password, size) {
  const attempts = users.slice(0, size).map(async (user) => {
    const started = performance.now();
    const { status } = await passwordStep(server, user.email, password);
    return { status, ms: performance.now() - started };
  });
  const results = await Promise.all(attempts);
  const hashed = results.filter((r) => r.status === 200 || r.status === 401);
  const refused = results.filter((r) => r.status === 429);
  return {
    size,
    hashed: hashed.length,
    refused: refused.length,
    other: results.length - hashed.length - refused.length,
    slowestRefusedMs: refused.length ? Math.max(...refused.map((r) => r.ms)) : NaN,
    fastestHashedMs: hashed.length ? Math.min(...hashed.map((r) => r.ms)) : NaN,
  };
}

/**
 * Step 1 for every user, `concurrency` at a time (the server's hash cap, so no 429s are forced;
 * a busy answer is retried, a bounded number of times). Returns each user with its challenge.
 */
export async function openChallenges(server, users, password, { concurrency, deadlineMs }) {
  const deadline = performance.now() + deadlineMs;
  const opened = [];
  let next = 0;
  let retries = 0;
  async function worker() {
    while (next < users.length && performance.now() < deadline) {
      const user = users[next++];
      for (let attempt = 0; attempt < 50 && performance.now() < deadline; attempt++) {
        const { status, challenge } = await passwordStep(server, user.email, password);
        if (status === 200 && challenge) {
          opened.push({ ...user, challenge });
          break;
        }
        if (status !== 429) throw new Error(`password step for ${user.email} answered ${status}`);
        retries++;
        await sleep(20);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { opened, retries };
}

/** The callback's form for one prepared sign-in: a fresh TOTP code, or the user's first backup code. */
function secondFactorFields(item) {
  return item.method === "totp"
    ? { method: "totp", code: referenceTotp(item.secret, Date.now()) }
    : { method: "backup", code: item.codes[0] };
}

/**
 * Step 2 under load: one request per prepared sign-in (its own user, challenge and valid code),
 * `connections` at a time, each sent as soon as the connection's previous answer is back. Counts real sign-ins: a session cookie and no ?error= in the answer.
 */
export async function secondStepLoad(server, csrfPair, items, { connections, hardStopMs }) {
  let next = 0;
  const outcomes = { totp: { ok: 0, failed: 0 }, backup: { ok: 0, failed: 0 } };
  const failures = [];
  const { byStatus, byKind, errors, timeouts, seconds } = await run(
    {
      url: `${server.base}/api/auth/callback/credentials`,
      connections,
      amount: items.length,
      requests: [
        {
          setupRequest(request, context) {
            const item = items[next++ % items.length];
            context.method = item.method;
            context.kind = item.method;
            return {
              ...request,
              method: "POST",
              headers: {
                "content-type": "application/x-www-form-urlencoded",
                origin: server.origin,
                cookie: cookieHeader({ ...csrfPair.cookies, "sign-in-challenge": item.challenge }),
              },
              body: secondStepBody(csrfPair.token, secondFactorFields(item)),
            };
          },
          onResponse(status, body, context, headers) {
            const cookies = [headers["set-cookie"] ?? headers["Set-Cookie"] ?? []].flat().join("\n");
            const ok = signedIn(status, body, cookies.includes("next-auth.session-token="));
            outcomes[context.method][ok ? "ok" : "failed"]++;
            if (!ok && failures.length < 3) failures.push(`${status} ${body.slice(0, 160)}`);
          },
        },
      ],
    },
    hardStopMs,
  );
  const all = Object.values(byStatus).flat();
  const perMethod = Object.fromEntries(Object.entries(byKind).map(([method, list]) => [method, summarize(list, seconds)]));
  return { connections, seconds, all: summarize(all, seconds), perMethod, outcomes, failures, errors, timeouts, sent: next };
}

export { secondFactorFields };

/**
 * Step 2 at a steady `rate` (requests/s, evenly spaced: autocannon's rate limit sends each second's
 * requests in one burst), at most `connections` in flight. Latency counts from when a request was
 * due, so time spent waiting for a free connection is not hidden.
 */
export async function pacedSecondStep(server, csrfPair, items, { connections, rate }) {
  const interval = 1000 / rate;
  const latencies = [];
  const outcomes = { ok: 0, failed: 0 };
  const started = performance.now() + 20;
  let next = 0;
  let inFlight = 0;
  await new Promise((resolve) => {
    let timer = null;
    const pump = () => {
      clearTimeout(timer);
      while (next < items.length && inFlight < connections && started + next * interval <= performance.now()) {
        const item = items[next];
        const due = started + next * interval;
        next++;
        inFlight++;
        secondStep(server, csrfPair, item.challenge, secondFactorFields(item))
          .then((session) => outcomes[session ? "ok" : "failed"]++)
          .catch(() => outcomes.failed++)
          .finally(() => {
            latencies.push(performance.now() - due);
            inFlight--;
            if (next >= items.length && inFlight === 0) resolve();
            else pump();
          });
      }
      if (next < items.length && inFlight < connections) timer = setTimeout(pump, Math.max(0, started + next * interval - performance.now()));
    };
    pump();
  });
  const seconds = (performance.now() - started) / 1000;
  return { connections, rate, sent: next, outcomes, all: summarize(latencies, seconds) };
}

/** The framework's floor: NextAuth's lightest route (GET /api/auth/csrf, no database) at the same concurrency. */
export async function floorLoad(server, { connections, seconds }) {
  const { byStatus, seconds: elapsed } = await run({ url: `${server.base}/api/auth/csrf`, connections, duration: seconds }, (seconds + 15) * 1000);
  return { connections, all: summarize(Object.values(byStatus).flat(), elapsed), ok: (byStatus[200] ?? []).length };
}
