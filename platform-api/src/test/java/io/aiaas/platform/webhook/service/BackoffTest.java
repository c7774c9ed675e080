package io.aiaas.platform.webhook.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    static final Duration INITIAL = Duration.ofSeconds(2);
    static final Duration MAX = Duration.ofHours(1);

    @Test
    void doublesFromTheInitialWaitWithin25PercentJitter() {
        RandomGenerator random = new SplittableRandom(42);
        for (int attempts = 1; attempts <= 10; attempts++) {
            long base = 2000L << (attempts - 1);
            for (int i = 0; i < 200; i++) {
                long wait = Backoff.after(attempts, INITIAL, MAX, random).toMillis();
                assertTrue(wait >= base * 3 / 4 && wait <= base * 5 / 4, attempts + ": " + wait);
            }
        }
    }

    @Test
    void neverWaitsLongerThanTheCapEvenAfterManyAttempts() {
        RandomGenerator random = new SplittableRandom(7);
        long max = MAX.toMillis();
        long lowest = Long.MAX_VALUE;
        for (int attempts = 12; attempts < 1000; attempts += 7) {
            long wait = Backoff.after(attempts, INITIAL, MAX, random).toMillis();
            assertTrue(wait <= max, attempts + ": " + wait);
            lowest = Math.min(lowest, wait);
        }
        assertTrue(lowest >= max * 3 / 4);
    }

    @Test
    void jitterSpreadsRetriesThatFailedTogether() {
        RandomGenerator random = new SplittableRandom(1);
        long distinct = java.util.stream.IntStream.range(0, 50)
                .mapToLong(i -> Backoff.after(3, INITIAL, MAX, random).toMillis()).distinct().count();
        assertTrue(distinct > 25, "only " + distinct + " distinct waits");
        // no jitter to spread when the wait is a millisecond
        assertEquals(1, Backoff.after(1, Duration.ofMillis(1), MAX, random).toMillis());
    }
}
