package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BilledAnswerTest {

    private static Map<String, String> billed() {
        Map<String, String> headers = new HashMap<>();
        headers.put("x-aiaas-cost", "0.00000022");
        headers.put("x-aiaas-currency", "USD");
        headers.put("x-ratelimit-limit-requests", "10000000");
        headers.put("x-ratelimit-remaining-requests", "9999000");
        headers.put("x-ratelimit-reset-requests", "12s");
        return headers;
    }

    private static String rejection(Map<String, String> headers) {
        return assertThrows(IllegalStateException.class, () -> BilledAnswer.require("control-plane+billing", "USD",
                name -> Optional.ofNullable(headers.get(name)))).getMessage();
    }

    @Test
    void aPricedAndRateLimitedAnswerPasses() {
        Map<String, String> headers = billed();

        assertDoesNotThrow(() -> BilledAnswer.require("t", "USD", name -> Optional.ofNullable(headers.get(name))));
    }

    @Test
    void anAnswerWithoutCostOrWithZeroCostIsAnError() {
        Map<String, String> noCost = billed();
        noCost.remove("x-aiaas-cost");
        Map<String, String> free = billed();
        free.put("x-aiaas-cost", "0");
        Map<String, String> garbled = billed();
        garbled.put("x-aiaas-cost", "1e");

        assertTrue(rejection(noCost).contains("no x-aiaas-cost header"), rejection(noCost));
        assertTrue(rejection(free).contains("x-aiaas-cost is 0, so the call was not priced"), rejection(free));
        assertTrue(rejection(garbled).contains("not a number"), rejection(garbled));
    }

    @Test
    void anAnswerWithoutRateLimitHeadersOrInAnotherCurrencyIsAnError() {
        for (String name : BilledAnswer.RATE_LIMIT) {
            Map<String, String> headers = billed();
            headers.remove(name);
            assertTrue(rejection(headers).contains("no " + name + " header"), rejection(headers));
        }
        Map<String, String> euros = billed();
        euros.put("x-aiaas-currency", "EUR");
        assertTrue(rejection(euros).contains("is EUR, expected USD"), rejection(euros));
    }
}
