package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessTest {

    @Test
    void childThatDiesBeforeItIsReadyFailsFastWithTheEndOfItsLog(@TempDir Path dir) {
        ChildProcess child = ChildProcess.start("doomed", List.of("bash", "-c", "echo starting; echo boom >&2; exit 3"),
                Map.of(), dir, dir.resolve("logs/doomed.log"));
        long begin = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Readiness.await("doomed",
                "http://127.0.0.1:" + LocalStackSettings.freePort() + "/ready", child, Duration.ofSeconds(60)));
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin) < 10, "fails fast, not at the timeout");
        assertTrue(e.getMessage().contains("doomed exited with code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("boom"), "stderr is in the log: " + e.getMessage());
    }

    @Test
    void closeStopsTheChildAndTheProcessesItStarted(@TempDir Path dir) throws Exception {
        // like kc.sh, the shell forks the real server and waits for it
        ChildProcess child = ChildProcess.start("forking", List.of("bash", "-c", "sleep 300 & wait"),
                Map.of(), dir, dir.resolve("forking.log"));
        ProcessHandle handle = ProcessHandle.of(child.pid()).orElseThrow();
        for (int i = 0; i < 50 && handle.descendants().findAny().isEmpty(); i++) {
            Thread.sleep(100);
        }
        List<ProcessHandle> descendants = handle.descendants().toList();
        assertFalse(descendants.isEmpty(), "the shell started its sleep");

        child.close();

        assertFalse(child.isAlive());
        for (ProcessHandle d : descendants) {
            d.onExit().get(5, TimeUnit.SECONDS);
            assertFalse(d.isAlive(), "descendant " + d.pid() + " stopped");
        }
    }

    @Test
    void killIsSigkillEvenForAChildThatIgnoresSigtermAndIsMarkedIntended(@TempDir Path dir) throws Exception {
        ChildProcess child = ChildProcess.start("stubborn", List.of("bash", "-c",
                "trap '' TERM; echo started; while true; do sleep 0.1; done"), Map.of(), dir, dir.resolve("s.log"));
        for (int i = 0; i < 50 && !child.logTail(1).contains("started"); i++) {
            Thread.sleep(100);
        }
        assertFalse(child.stopRequested());
        long begin = System.nanoTime();

        child.kill();

        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - begin) < 5, "no grace period for a kill");
        assertFalse(child.isAlive());
        assertEquals(128 + 9, child.exitValue(), "killed by signal 9");
        assertTrue(child.stopRequested(), "an intended exit, not a death to report");
    }

    @Test
    void readinessWaitsForTheHealthUrlToAnswer200(@TempDir Path dir) throws Exception {
        int port = LocalStackSettings.freePort();
        // a server that only becomes ready after a second, as the apps do
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", port), 0);
        long readyAt = System.currentTimeMillis() + 1000;
        server.createContext("/ready", exchange -> {
            exchange.sendResponseHeaders(System.currentTimeMillis() < readyAt ? 503 : 200, -1);
            exchange.close();
        });
        server.start();
        ChildProcess child = ChildProcess.start("idle", List.of("sleep", "30"), Map.of(), dir, dir.resolve("i.log"));
        try {
            Readiness.await("idle", "http://127.0.0.1:" + port + "/ready", child, Duration.ofSeconds(20));
            assertTrue(System.currentTimeMillis() >= readyAt, "returned only once the URL said 200");
        } finally {
            child.close();
            server.stop(0);
        }
    }
}
