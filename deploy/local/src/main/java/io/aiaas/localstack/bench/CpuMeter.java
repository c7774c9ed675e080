package io.aiaas.localstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The CPU time the processes of the stack have used so far, per group (this client, platform-api, its embedded
 * PostgreSQL, the worker), read from {@code /proc/<pid>/stat}: user + system time of each process, plus what its
 * exited and reaped children used. Sampled before and after each turn of a target, it says how much CPU one call
 * costs each process. Under saturation that, not the wall-clock latency, is what shows a difference of a few percent
 * on a noisy shared machine: the latency of a saturated machine is the CPU each call needs times the calls in flight,
 * divided by the cores, plus whatever else the machine's neighbours do during that turn.
 *
 * <p>Linux only; elsewhere (no {@code /proc}) every sample is empty and the report has no CPU figures.
 */
public final class CpuMeter {

    /** Measures nothing: every sample empty. */
    public static final CpuMeter NONE = new CpuMeter(Map.of());

    /** Linux's USER_HZ, the unit of the times in {@code /proc/<pid>/stat}; 100 on every mainstream kernel. */
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;
    private static final Path PROC = Path.of("/proc");

    private final Supplier<Map<String, Long>> sampler;

    /** {@code groups}: a name, in report order, and the processes it counts at the moment of a sample. */
    public CpuMeter(Map<String, Supplier<Stream<ProcessHandle>>> groups) {
        Map<String, Supplier<Stream<ProcessHandle>>> copy = new LinkedHashMap<>(groups);
        this.sampler = () -> {
            Map<String, Long> used = new LinkedHashMap<>();
            copy.forEach((name, processes) -> used.put(name, processes.get().mapToLong(p -> ticks(p.pid())).sum()
                    * NANOS_PER_TICK));
            return used;
        };
    }

    /** A meter whose samples come from {@code sampler} (CPU nanoseconds so far by group): for tests. */
    CpuMeter(Supplier<Map<String, Long>> sampler) {
        this.sampler = sampler;
    }

    /**
     * The stack's groups: this process ({@code client}: the load generator, and raw ONNX Runtime's own turns),
     * {@code platform-api}, {@code postgres} (the embedded server whose data directory is {@code postgresData}, read
     * from its {@code postmaster.pid}, and its backends: pg_ctl detaches the server from platform-api) and
     * {@code worker}.
     */
    public static CpuMeter forStack(long platformApiPid, Path postgresData, long workerPid) {
        if (!Files.isDirectory(PROC.resolve("self"))) {
            return NONE;
        }
        Map<String, Supplier<Stream<ProcessHandle>>> groups = new LinkedHashMap<>();
        groups.put("client", () -> Stream.of(ProcessHandle.current()));
        groups.put("platform-api", () -> ProcessHandle.of(platformApiPid).stream());
        groups.put("postgres", () -> postmaster(postgresData).stream()
                .flatMap(server -> Stream.concat(Stream.of(server), server.descendants())));
        groups.put("worker", () -> ProcessHandle.of(workerPid).stream());
        return new CpuMeter(groups);
    }

    /** The server of a PostgreSQL data directory: the first line of its postmaster.pid, while it runs. */
    static java.util.Optional<ProcessHandle> postmaster(Path dataDir) {
        try (Stream<String> lines = Files.lines(dataDir.resolve("postmaster.pid"))) {
            return lines.findFirst().map(String::trim).filter(l -> l.matches("\\d+"))
                    .flatMap(pid -> ProcessHandle.of(Long.parseLong(pid)));
        } catch (IOException | UncheckedIOException e) {
            return java.util.Optional.empty();
        }
    }

    /** CPU nanoseconds used so far by each group (processes gone since the last sample no longer count). */
    public Map<String, Long> sample() {
        return sampler.get();
    }

    /** {@code after - before}, group by group. */
    public static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> spent = new LinkedHashMap<>();
        after.forEach((name, value) -> spent.put(name, value - before.getOrDefault(name, value)));
        return spent;
    }

    /** utime + stime + cutime + cstime of one process, in clock ticks; 0 when it is gone or unreadable. */
    static long ticks(long pid) {
        try {
            return ticksOf(Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat")));
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * The four time fields of a {@code /proc/<pid>/stat} line (fields 14 to 17). The command name (field 2) is in
     * parentheses and may hold spaces or parentheses itself, so fields are counted after the last ')'.
     */
    static long ticksOf(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state): utime is field 14, so index 11
        long sum = 0;
        for (int i = 11; i <= 14; i++) {
            sum += Long.parseLong(fields[i]);
        }
        return sum;
    }
}
