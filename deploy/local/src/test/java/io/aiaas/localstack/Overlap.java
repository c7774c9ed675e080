package io.aiaas.localstack;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How many intervals overlap at most, and for how long more than a limit of them did: the longest such stretch, the
 * total, and the intervals at the start of the longest. BillingIT measures calls in flight with it (the concurrency
 * limit across replicas).
 */
record Overlap(int most, long longestOverNanos, long totalOverNanos, List<Span> atLongest) {

    /** A labelled interval, in nanoseconds. */
    record Span(String label, long start, long end) {
    }

    static Overlap of(List<Span> spans, int limit) {
        List<long[]> events = new ArrayList<>();
        for (Span span : spans) {
            if (span.start() < span.end()) {
                events.add(new long[] {span.start(), 1});
                events.add(new long[] {span.end(), -1});
            }
        }
        // at one instant, an end comes before a start: touching intervals do not overlap
        events.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        int now = 0;
        int most = 0;
        long overSince = -1;
        long longest = 0;
        long longestAt = -1;
        long total = 0;
        for (long[] event : events) {
            now += (int) event[1];
            most = Math.max(most, now);
            if (now > limit && overSince < 0) {
                overSince = event[0];
            } else if (now <= limit && overSince >= 0) {
                long stretch = event[0] - overSince;
                total += stretch;
                if (stretch > longest) {
                    longest = stretch;
                    longestAt = overSince;
                }
                overSince = -1;
            }
        }
        long at = longestAt;
        List<Span> atLongest = at < 0 ? List.of()
                : spans.stream().filter(s -> s.start() <= at && at < s.end()).toList();
        return new Overlap(most, longest, total, atLongest);
    }

    String describe(long origin) {
        return String.format("at most %d at once; more than the limit for %.1f ms in all, %.1f ms at the longest%s",
                most, totalOverNanos / 1e6, longestOverNanos / 1e6, atLongest.isEmpty() ? ""
                        : atLongest.stream().map(s -> String.format("%s %.0f-%.0f ms", s.label(),
                                (s.start() - origin) / 1e6, (s.end() - origin) / 1e6))
                                .collect(Collectors.joining(", ", " (then in flight: ", ")")));
    }
}
