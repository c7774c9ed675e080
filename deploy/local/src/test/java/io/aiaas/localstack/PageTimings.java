package io.aiaas.localstack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How fast the console's pages answer, for {@link ConsoleIT}: one warm-up round over all pages (their code paths),
 * then {@link #ROUNDS} timed rounds in which the pages take turns, so that a moment of load on the machine falls on all
 * of them rather than on one page's fetches; and, beside them, the platform-api calls behind the tenant pages timed
 * alone, for whoever makes a page faster.
 */
final class PageTimings {

    static final int ROUNDS = 5;

    /** A page's status (the first that was not 200, if any) and its times in milliseconds. */
    record Timing(int status, String location, double median, double min, double max) {
    }

    /** What was measured, as a table, and each page that answered anything but 200 or took the limit or longer. */
    record Report(String table, List<String> problems) {
    }

    private PageTimings() {
    }

    /** Times the pages (path to the signed-in session that fetches it); a page not answering 200 is not timed further. */
    static Map<String, Timing> time(Map<String, ConsoleHttp> pages) {
        pages.forEach((path, http) -> http.get(path));
        Map<String, double[]> millis = new LinkedHashMap<>();
        Map<String, Timing> failed = new LinkedHashMap<>();
        pages.keySet().forEach(path -> millis.put(path, new double[ROUNDS]));
        for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, ConsoleHttp> entry : pages.entrySet()) {
                String path = entry.getKey();
                if (failed.containsKey(path)) {
                    continue;
                }
                ConsoleHttp.Page page = entry.getValue().get(path);
                if (page.status() != 200) {
                    failed.put(path, new Timing(page.status(), page.location().map(l -> " to " + l).orElse(""),
                            0, 0, 0));
                }
                millis.get(path)[round] = page.millis();
            }
        }
        Map<String, Timing> timings = new LinkedHashMap<>();
        millis.forEach((path, times) -> {
            Arrays.sort(times);
            timings.put(path, failed.getOrDefault(path,
                    new Timing(200, "", times[ROUNDS / 2], times[0], times[ROUNDS - 1])));
        });
        return timings;
    }

    /** The timings as a table, and the pages that failed or whose median was not under the limit. */
    static Report report(Map<String, Timing> timings, double limitMillis) {
        String row = "%-58s %6s %10s %10s %10s%n";
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, row, "page", "status", "median ms",
                "min ms", "max ms"));
        List<String> problems = new ArrayList<>();
        timings.forEach((path, timing) -> {
            if (timing.status() != 200) {
                problems.add(path + ": HTTP " + timing.status() + timing.location());
                table.append(String.format(Locale.ROOT, row, path, timing.status(), "-", "-", "-"));
                return;
            }
            table.append(String.format(Locale.ROOT, row, path, timing.status(), ms(timing.median()),
                    ms(timing.min()), ms(timing.max())));
            if (timing.median() >= limitMillis) {
                problems.add(String.format(Locale.ROOT, "%s: median %.1f ms, not under %.0f ms", path,
                        timing.median(), limitMillis));
            }
        });
        return new Report(table.toString(), problems);
    }

    /** The platform-api calls given, each timed alone with the token: medians after one warm-up (not checked). */
    static String apiTimings(ApiClient api, String token, List<String> paths) {
        StringBuilder table = new StringBuilder("RESULT platform-api calls behind the pages, median of " + ROUNDS
                + " after one warm-up:" + System.lineSeparator());
        for (String path : paths) {
            api.get(path, token);
            double[] millis = new double[ROUNDS];
            int status = 0;
            for (int i = 0; i < ROUNDS; i++) {
                long begin = System.nanoTime();
                status = api.get(path, token).status();
                millis[i] = (System.nanoTime() - begin) / 1e6;
            }
            Arrays.sort(millis);
            table.append(String.format(Locale.ROOT, "  %-96s %3d %8s ms%n", path, status, ms(millis[ROUNDS / 2])));
        }
        return table.toString();
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.1f", millis);
    }
}
