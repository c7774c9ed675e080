package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PerformanceDocTest {

    private static BenchReport report(double workerMedian) {
        LatencyStats raw = new LatencyStats(10, 0, 20, 20, 20, 20, 20, 20, 20, 1000, 1000);
        LatencyStats worker = new LatencyStats(10, 0, workerMedian, workerMedian, workerMedian, workerMedian,
                workerMedian, workerMedian, workerMedian, 100, 100);
        return new BenchReport(Map.of("date", "2026-11-29T00:00:00Z", "cpus", "2", "git_commit", "abc123",
                "load_average_at_start", "0.5 0.4 0.3", "load_average_at_end", "1.5 1.0 0.5", "java", "17"),
                Map.of("requests", 10), List.of(new BenchReport.Scenario("iris", "Iris", 1, 1,
                Map.of(Target.RAW, raw, Target.WORKER, worker))));
    }

    @Test
    void aRunReplacesOnlyTheGeneratedPartAndKeepsTheNotesAroundIt(@TempDir Path dir) throws IOException {
        Path doc = dir.resolve("docs/performance.md");
        PerformanceDoc.write(doc, "./deploy/local/bench.sh --preset data-path", report(111));
        String first = Files.readString(doc);
        assertTrue(first.startsWith("# Performance"), first);
        Files.writeString(doc, first.replace("# Performance\n", "# Performance\n\nA note by hand.\n")
                + "\nA closing note.\n");

        PerformanceDoc.write(doc, "./deploy/local/bench.sh --preset data-path", report(222));

        String second = Files.readString(doc);
        assertTrue(second.contains("A note by hand.") && second.endsWith("A closing note.\n"), second);
        assertTrue(second.contains("| iris | 1 | 1 | off | worker | 222.0 |"), second);
        assertTrue(!second.contains("| 111.0 |"), second);
        assertEquals(second.indexOf(PerformanceDoc.BEGIN), second.lastIndexOf(PerformanceDoc.BEGIN), "one block");
        assertTrue(second.contains("| git commit | abc123 |") && second.contains("| load average after | 1.5 1.0 0.5 |")
                && second.contains("### Latency per request"), second);
    }

    @Test
    void markersAreAppendedToADocumentWithoutThem() {
        String doc = PerformanceDoc.replaceGenerated("# Performance\n\nnotes\n", "figures\n");

        assertEquals("# Performance\n\nnotes\n\n" + PerformanceDoc.BEGIN + "\nfigures\n" + PerformanceDoc.END + "\n",
                doc);
        assertEquals("# Performance\n\nnotes\n\n" + PerformanceDoc.BEGIN + "\nnew\n" + PerformanceDoc.END + "\n",
                PerformanceDoc.replaceGenerated(doc, "new"));
    }

    @Test
    void theCommandIsShownAsTypedWithoutTheOutputDirectoryBenchShAdds() {
        assertEquals("./deploy/local/bench.sh --preset data-path --requests 100",
                PerformanceDoc.command(List.of("--out", "/x/target/bench/1", "--preset", "data-path", "--requests",
                        "100")));
    }
}
