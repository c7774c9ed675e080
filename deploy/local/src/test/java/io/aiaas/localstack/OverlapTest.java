package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.localstack.Overlap.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The interval arithmetic behind BillingIT's calls-in-flight figures. */
class OverlapTest {

    @Test
    void countsTheMostAtOnceAndHowLongTheLimitWasExceeded() {
        // a 0-10, b 2-6, c 4-8, d 9-12: three at once from 4 to 6, two from 2 to 4, 6 to 8 and 9 to 10
        List<Span> spans = List.of(new Span("a", 0, 10), new Span("b", 2, 6), new Span("c", 4, 8),
                new Span("d", 9, 12));
        Overlap overTwo = Overlap.of(spans, 2);
        assertEquals(3, overTwo.most());
        assertEquals(2, overTwo.longestOverNanos());
        assertEquals(2, overTwo.totalOverNanos());
        assertEquals(List.of("a", "b", "c"), overTwo.atLongest().stream().map(Span::label).toList());
        Overlap overOne = Overlap.of(spans, 1);
        assertEquals(6, overOne.longestOverNanos(), "2 to 8 with two or more in flight");
        assertEquals(7, overOne.totalOverNanos(), "and 9 to 10");
    }

    @Test
    void touchingAndEmptyIntervalsDoNotOverlap() {
        Overlap touching = Overlap.of(List.of(new Span("a", 0, 5), new Span("b", 5, 9), new Span("c", 7, 7)), 1);
        assertEquals(1, touching.most());
        assertEquals(0, touching.totalOverNanos());
        assertEquals(List.of(), touching.atLongest());
    }
}
