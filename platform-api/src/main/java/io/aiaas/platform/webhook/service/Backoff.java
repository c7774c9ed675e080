package io.aiaas.platform.webhook.service;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The wait before the next attempt of a delivery: {@code initial * 2^(attempts - 1)}, capped at {@code max}, then
 * spread by +-25% so that deliveries that failed together (a receiver that was down) do not retry in lockstep; the
 * result never exceeds {@code max}.
 */
public final class Backoff {

    private Backoff() {
    }

    /** The wait after the {@code attempts}-th failed attempt (1 for the first). */
    public static Duration after(int attempts, Duration initial, Duration max, RandomGenerator random) {
        long maxMillis = Math.max(1, max.toMillis());
        long base = Math.max(1, initial.toMillis());
        for (int i = 1; i < attempts && base < maxMillis; i++) {
            base *= 2;
        }
        base = Math.min(base, maxMillis);
        long spread = base / 4;
        long jittered = base - spread + (spread == 0 ? 0 : random.nextLong(2 * spread + 1));
        return Duration.ofMillis(Math.min(jittered, maxMillis));
    }
}
