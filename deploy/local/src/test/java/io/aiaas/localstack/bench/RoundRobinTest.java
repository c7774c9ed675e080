package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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

    private static Target target(String name, Runnable call) {
        return new Target() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void call() {
                call.run();
            }
        };
    }

    @Test
    void eachTargetIsChargedTheCpuOfItsOwnTurnsOnly() {
        // a meter whose "CPU" is what the targets report: the busy one 7 units a call, the idle one none; the warm-up
        // adds 1,000 units that no target may be charged
        AtomicLong used = new AtomicLong();
        CpuMeter meter = new CpuMeter(() -> Map.of("stack", used.get()));
        Target busy = target("busy", () -> used.addAndGet(7));
        Target idle = target("idle", () -> { });
        Target warmUp = target("warm", () -> used.addAndGet(1000));

        Map<String, RoundRobin.Measurement> result;
        try (RoundRobin runner = new RoundRobin(3, meter)) {
            runner.warmUp(List.of(warmUp), 1);
            result = runner.run(List.of(busy, idle), 2, 30, 4);
        }

        // 30 measured calls of 7 units each; the 2 warm-up calls of run(...) are not measured either
        assertEquals(Map.of("stack", 210L), result.get("busy").cpuNanos());
        assertEquals(Map.of("stack", 0L), result.get("idle").cpuNanos());
        try (RoundRobin runner = new RoundRobin(1)) {
            assertTrue(runner.run(List.of(idle), 0, 1, 1).get("idle").cpuNanos().isEmpty(), "no meter, no figures");
        }
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
