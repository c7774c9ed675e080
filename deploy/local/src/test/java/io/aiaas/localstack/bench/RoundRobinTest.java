package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoundRobinTest {

    /** Appends its name to a shared log on every call; fails every {@code failEvery}-th call (0 = never). */
    private record Fake(String name, List<String> log, int failEvery, AtomicInteger calls) implements Target {
        Fake(String name, List<String> log, int failEvery) {
            this(name, log, failEvery, new AtomicInteger());
        }

        @Override
        public void call() {
            log.add(name);
            int n = calls.incrementAndGet();
            if (failEvery > 0 && n % failEvery == 0) {
                throw new IllegalStateException(name + " answered HTTP 503");
            }
        }
    }

    @Test
    void targetsTakeTurnsOfOneRoundEachInAlternatingOrderUntilEveryoneHasItsRequests() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        List<Target> targets = List.of(new Fake("a", log, 0), new Fake("b", log, 0), new Fake("c", log, 0));

        Map<String, RoundRobin.Measurement> result;
        try (RoundRobin runner = new RoundRobin(1)) {
            result = runner.run(targets, 1, 5, 2);
        }

        // one warm-up call each, then turns of 2, 2 and the last 1, every other round in reverse order (so that no
        // target always follows the same one)
        assertEquals(List.of("a", "b", "c", "a", "a", "b", "b", "c", "c", "c", "c", "b", "b", "a", "a",
                "a", "b", "c"), log);
        assertEquals(List.of("a", "b", "c"), List.copyOf(result.keySet()));
        result.values().forEach(m -> {
            assertEquals(5, m.nanos().length);
            assertEquals(0, m.errors());
            assertTrue(m.busyNanos() > 0);
        });
    }

    @Test
    void severalClientThreadsStillMakeExactlyTheRequestedCalls() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Fake a = new Fake("a", log, 0);
        Fake b = new Fake("b", log, 0);

        Map<String, RoundRobin.Measurement> result;
        try (RoundRobin runner = new RoundRobin(4)) {
            result = runner.run(List.of(a, b), 3, 101, 10);
        }

        assertEquals(104, a.calls().get());
        assertEquals(104, b.calls().get());
        assertEquals(101, result.get("a").nanos().length);
        assertEquals(101, result.get("b").nanos().length);
    }

    @Test
    void occasionalFailuresAreCountedAndLeftOutOfTheLatencies() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Fake flaky = new Fake("flaky", log, 250);

        RoundRobin.Measurement m;
        try (RoundRobin runner = new RoundRobin(1)) {
            m = runner.run(List.of(flaky), 0, 1000, 50).get("flaky");
        }

        assertEquals(4, m.errors());
        assertEquals(996, m.nanos().length);
        assertEquals("flaky answered HTTP 503", m.firstError());
    }

    @Test
    void aTargetFailingMoreThanOnePercentStopsTheRunNamingIt() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Fake broken = new Fake("broken", log, 2);

        IllegalStateException e;
        try (RoundRobin runner = new RoundRobin(2)) {
            e = assertThrows(IllegalStateException.class, () -> runner.run(List.of(broken), 0, 1000, 20));
        }

        assertTrue(e.getMessage().startsWith("broken: "), e.getMessage());
        assertTrue(e.getMessage().contains("broken answered HTTP 503"), e.getMessage());
        // it stopped after the first turn over the limit, far before 1000 calls
        assertTrue(broken.calls().get() <= 40, "calls: " + broken.calls().get());
    }

    @Test
    void eachTargetIsChargedTheCpuOfItsOwnTurns() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        Target busy = new Target() {
            public String name() {
                return "busy";
            }

            public void call() {
                CpuMeterTest.burn(10);
            }
        };
        Target idle = new Target() {
            public String name() {
                return "idle";
            }

            public void call() {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        CpuMeter meter = new CpuMeter(Map.of("self", () -> java.util.stream.Stream.of(ProcessHandle.current())));

        Map<String, RoundRobin.Measurement> result;
        try (RoundRobin runner = new RoundRobin(1, meter)) {
            result = runner.run(List.of(busy, idle), 0, 30, 5);
        }

        // 30 calls of 10 ms busy against 30 of 10 ms asleep: the busy one's turns used ~300 ms of CPU
        long busyCpu = result.get("busy").cpuNanos().get("self");
        long idleCpu = result.get("idle").cpuNanos().get("self");
        assertTrue(busyCpu >= 200_000_000L, "busy " + busyCpu);
        assertTrue(idleCpu < busyCpu / 3, "idle " + idleCpu + " against busy " + busyCpu);
        assertTrue(new RoundRobin(1).run(List.of(idle), 0, 1, 1).get("idle").cpuNanos().isEmpty(),
                "no meter, no CPU figures");
    }

    @Test
    void aFailureDuringWarmUpStopsTheRun() {
        Fake broken = new Fake("broken", Collections.synchronizedList(new ArrayList<>()), 1);

        try (RoundRobin runner = new RoundRobin(1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> runner.run(List.of(broken), 3, 10, 5));
            assertTrue(e.getMessage().contains("failed during warm-up"), e.getMessage());
        }
    }
}
