package io.aiaas.localstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The used heap of another JVM on this machine, sampled every 100 ms by one long-running {@code jstat -gc <pid> 100}
 * (it reads the target's perf-data file: no attach, no safepoint), keeping the peak. {@link #peakBeforeGcMb} reads
 * the heap before each collection from a {@code -Xlog:gc} file, which catches the tops between two samples.
 */
final class HeapSampler implements AutoCloseable {

    /** G1's one-line summary: {@code Pause Young (Normal) (G1 Evacuation Pause) 60M->21M(96M) 3.1ms}. */
    private static final Pattern GC_LINE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private final Process jstat;
    private final Thread reader;
    private final AtomicLong peakKb = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private volatile String lastOtherLine = "";

    private HeapSampler(Process jstat) {
        this.jstat = jstat;
        this.reader = new Thread(this::read, "heap-sampler");
        this.reader.setDaemon(true);
    }

    static HeapSampler start(long pid) {
        Path jstatBinary = Path.of(System.getProperty("java.home"), "bin", "jstat");
        try {
            Process process = new ProcessBuilder(jstatBinary.toString(), "-gc", Long.toString(pid), "100")
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            HeapSampler sampler = new HeapSampler(process);
            sampler.reader.start();
            return sampler;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + jstatBinary + ": " + e.getMessage(), e);
        }
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(),
                StandardCharsets.US_ASCII))) {
            List<String> header = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                List<String> fields = Arrays.asList(line.trim().split("\\s+"));
                if (fields.contains("EU")) {
                    header = fields;
                } else if (header != null && fields.size() == header.size()) {
                    double usedKb = 0;
                    for (String column : List.of("S0U", "S1U", "EU", "OU")) {
                        usedKb += Double.parseDouble(fields.get(header.indexOf(column)));
                    }
                    long used = (long) usedKb;
                    peakKb.accumulateAndGet(used, Math::max);
                    samples.incrementAndGet();
                } else {
                    lastOtherLine = line;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the target exited or jstat was stopped: the samples so far stand
        }
    }

    /** Waits until jstat has reported this many samples (its own JVM takes a moment to start). */
    void awaitSamples(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (samples.get() < count && System.nanoTime() < deadline && jstat.isAlive()) {
            Thread.sleep(50);
        }
        if (samples.get() < count) {
            throw new IllegalStateException("jstat gave " + samples.get() + " samples in " + timeout.toSeconds()
                    + " s (alive: " + jstat.isAlive() + ", last line: " + lastOtherLine + ")");
        }
    }

    double peakMb() {
        return peakKb.get() / 1024.0;
    }

    long samples() {
        return samples.get();
    }

    /** The largest heap occupancy before a collection in a {@code -Xlog:gc} file, in MB; 0 when there is none. */
    static long peakBeforeGcMb(Path gcLog) {
        try {
            if (!Files.isRegularFile(gcLog)) {
                return 0;
            }
            long peak = 0;
            for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
                Matcher m = GC_LINE.matcher(line);
                if (m.find()) {
                    peak = Math.max(peak, Long.parseLong(m.group(1)));
                }
            }
            return peak;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + gcLog, e);
        }
    }

    /** The number of collections logged in a {@code -Xlog:gc} file. */
    static long collections(Path gcLog) {
        try {
            return Files.isRegularFile(gcLog)
                    ? Files.readAllLines(gcLog, StandardCharsets.UTF_8).stream()
                            .filter(l -> GC_LINE.matcher(l).find()).count()
                    : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + gcLog, e);
        }
    }

    @Override
    public void close() {
        jstat.destroy();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jstat.destroyForcibly();
    }
}
