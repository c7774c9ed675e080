package io.aiaas.console.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The periods of "Send every failed event again" and the since each gives, the deliveries' state filter as the query
 * names it, and the notice's count read back from a redirect's query, without HTTP.
 */
class WebhookFailedWithinTest {

    static final Instant NOW = Instant.parse("2026-12-02T08:30:15.987654321Z");

    @ParameterizedTest
    @CsvSource({
        "1h, 2026-12-02T07:30:15Z",
        "24h, 2026-12-01T08:30:15Z",
        "3d, 2026-11-29T08:30:15Z",
        "7d, 2026-11-25T08:30:15Z",
        "30d, 2026-11-02T08:30:15Z",
    })
    void eachOfferedPeriodGivesNowLessThePeriodToTheSecondBelow(String value, String since) {
        assertEquals(Instant.parse(since), WebhookFailedWithin.submitted(value).orElseThrow().since(NOW));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "2h", "24H", "1d", "86400", "30", "7d;", "DAY"})
    @NullSource
    void aPeriodTheSelectDoesNotOfferIsNoChoice(String value) {
        assertTrue(WebhookFailedWithin.submitted(value).isEmpty(), value);
    }

    @Test
    void theSelectOffersTheseInOrderWithADayByDefault() {
        assertEquals(List.of("1h", "24h", "3d", "7d", "30d"),
                WebhookFailedWithin.ALL.stream().map(WebhookFailedWithin::value).toList());
        assertEquals("24h", WebhookFailedWithin.DEFAULT.value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1h", "24h", "3d", "7d", "30d"})
    void anOfferedPeriodIsTakenWithSpacesAround(String value) {
        assertEquals(value, WebhookFailedWithin.submitted(" " + value + " ").orElseThrow().value());
    }

    @ParameterizedTest
    @CsvSource({"FAILED, FAILED", "failed, FAILED", "Pending, PENDING", "delivered, DELIVERED"})
    void aStateInAnyCaseFiltersTheDeliveries(String query, WebhookDeliveryState state) {
        assertEquals(state, WebhookDeliveryState.of(query).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ALL", "FAIL", "FAILED,PENDING", "fаiled", "failedfailedfailedfailedfailed"})
    @NullSource
    void anyOtherStateIsIgnored(String query) {
        assertTrue(WebhookDeliveryState.of(query).isEmpty(), query);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "0, false, 0, false",
        "1, false, 1, false",
        "1000, true, 1000, true",
        "007, false, 7, false",
        "0, true, 0, false",
        "3, TRUE, 3, false",
        "3, yes, 3, false",
        "3, NULL, 3, false",
        "-1, true, NULL, false",
        "1e3, true, NULL, false",
        "9999999999, true, NULL, false",
        "NULL, true, NULL, false",
        "' 3', false, NULL, false",
    })
    void aRedirectsCountIsReadDefensively(String queued, String more, Integer count, boolean expectMore) {
        WebhookFailedQueued read = WebhookFailedQueued.fromQuery(queued, more);
        if (count == null) {
            assertNull(read.count());
            assertFalse(read.known());
        } else {
            assertEquals(count, read.count());
        }
        assertEquals(expectMore, read.more());
    }
}
