package io.aiaas.localstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * docs/performance.md: hand-written notes, then the figures of the latest benchmark run written with
 * {@code --write-docs} between {@link #BEGIN} and {@link #END}. Only that part is replaced, so the notes above and
 * below it survive every run.
 */
public final class PerformanceDoc {

    public static final Path FILE = Path.of("docs", "performance.md");
    public static final String BEGIN = "<!-- bench:generated:begin (written by deploy/local/bench.sh --write-docs;"
            + " edit outside these markers) -->";
    public static final String END = "<!-- bench:generated:end -->";

    private PerformanceDoc() {
    }

    /** The command as a user types it: bench.sh and the arguments, without the {@code --out} bench.sh adds. */
    public static String command(List<String> args) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (i == 0 && args.get(i).equals("--out") && args.size() > 1) {
                i++;
                continue;
            }
            shown.add(args.get(i).contains(" ") ? "'" + args.get(i) + "'" : args.get(i));
        }
        return ("./deploy/local/bench.sh " + String.join(" ", shown)).trim();
    }

    /** The generated part: the command, the machine and the run, then the report's tables one level down. */
    public static String generated(String command, BenchReport report) {
        Map<String, String> env = report.environment();
        StringBuilder md = new StringBuilder();
        md.append("## Latest run\n\n");
        md.append("```\n").append(command).append("\n```\n\n");
        md.append("| fact | value |\n|---|---|\n");
        row(md, "date (UTC)", env.get("date"));
        row(md, "git commit", env.get("git_commit"));
        row(md, "CPUs (nproc)", env.get("cpus"));
        row(md, "CPU", env.get("cpu_model"));
        row(md, "load average before", env.get("load_average_at_start"));
        row(md, "load average after", env.get("load_average_at_end"));
        row(md, "JVM", env.get("java"));
        row(md, "OS", env.get("os"));
        report.settings().forEach((k, v) -> row(md, "setting " + k, String.valueOf(v)));
        md.append('\n');
        md.append(report.markdownBody().replaceAll("(?m)^## ", "### "));
        return md.toString();
    }

    /**
     * Replaces the generated part of {@code file} (creating the file with a title, or appending the markers to a file
     * without them) and leaves everything else as it was.
     */
    public static void write(Path file, String command, BenchReport report) {
        try {
            String existing = Files.isRegularFile(file) ? Files.readString(file)
                    : "# Performance\n\nFigures of the inference data path, written by the benchmark "
                    + "([benchmark.md](benchmark.md)).\n\n";
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, replaceGenerated(existing, generated(command, report)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code document} with the text between the markers replaced by {@code generated} (markers appended if absent). */
    static String replaceGenerated(String document, String generated) {
        String block = BEGIN + "\n" + generated + (generated.endsWith("\n") ? "" : "\n") + END;
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            return document + (document.endsWith("\n") ? "" : "\n") + "\n" + block + "\n";
        }
        return document.substring(0, begin) + block + document.substring(end + END.length());
    }

    private static void row(StringBuilder md, String fact, String value) {
        md.append("| ").append(fact).append(" | ").append(value == null ? "-" : value.replace("|", "\\|"))
                .append(" |\n");
    }
}
