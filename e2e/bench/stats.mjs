// Small statistics helpers: exact percentiles over every sample (no histogram buckets).

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values) => percentile(values, 50);

/** Latency summary of one group of responses over a run of `seconds`. */
export function summarize(latencies, seconds) {
  return {
    count: latencies.length,
    rps: seconds > 0 ? latencies.length / seconds : NaN,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.length ? Math.max(...latencies) : NaN,
  };
}

/**
 * Runs `a` and `b` in alternating timed batches (order swapped every round, so drift and warm-up
 * hit both alike) and compares the fastest batch of each: other processes on the machine only ever
 * add time to a batch, so the least-disturbed one is the best estimate of the code's own cost.
 */
export function compareBatches(a, b, { batch, rounds = 9, warmup = 2, between = () => {} }) {
  const time = (fn) => {
    between(); // untimed housekeeping before every batch
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn(i);
    return Number(process.hrtime.bigint() - start) / batch;
  };
  for (let i = 0; i < warmup; i++) {
    time(a);
    time(b);
  }
  const nsA = [];
  const nsB = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      nsA.push(time(a));
      nsB.push(time(b));
    } else {
      nsB.push(time(b));
      nsA.push(time(a));
    }
  }
  const [bestA, bestB] = [Math.min(...nsA), Math.min(...nsB)];
  return { nsA: bestA, nsB: bestB, ratio: bestA / bestB, medianRatio: median(nsA) / median(nsB) };
}
