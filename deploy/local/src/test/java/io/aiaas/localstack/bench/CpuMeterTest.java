package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuMeterTest {

    @Test
    void theTimesAreCountedAfterTheCommandNameWhateverItHolds() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
        String stat = "4242 (post gres: a) b) S 1 4242 4242 0 -1 4194560 900 0 0 0 120 30 7 3 20 0 1 0 5000 1000 10";

        assertEquals(120 + 30 + 7 + 3, CpuMeter.ticksOf(stat));
    }

    @Test
    void aSampleOfThisProcessGrowsWithTheCpuItBurns() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
        CpuMeter meter = new CpuMeter(Map.of("self", () -> Stream.of(ProcessHandle.current())));

        Map<String, Long> before = meter.sample();
        burnCpu(300);
        long spent = CpuMeter.since(before, meter.sample()).get("self");

        // 300 ms of CPU on this thread alone (other threads of the JVM only add to it), less the 10 ms ticks at both
        // ends
        assertTrue(spent >= 280_000_000L, "spent " + spent + " ns");
    }

    @Test
    void postgresIsFoundThroughThePidFileOfItsDataDirectory(@TempDir Path data) throws Exception {
        assertTrue(CpuMeter.postmaster(data).isEmpty(), "no pid file, no server");
        Files.writeString(data.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + data + "\n5432\n");
        assertEquals(ProcessHandle.current().pid(), CpuMeter.postmaster(data).orElseThrow().pid());
        Files.writeString(data.resolve("postmaster.pid"), "not a pid\n");
        assertTrue(CpuMeter.postmaster(data).isEmpty());
    }

    /** Spins until this thread has used {@code millis} of CPU, however long that takes on a busy machine. */
    static void burnCpu(long millis) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + millis * 1_000_000L;
        long x = 0;
        while (threads.getCurrentThreadCpuTime() < end) {
            x += Long.numberOfTrailingZeros(x + System.nanoTime());
        }
        if (x == 42) {
            System.out.print("");
        }
    }
}
