package io.aiaas.localstack.bench;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks that an answer to a tenant on a plan was limited and priced: it carries a positive {@code x-aiaas-cost}, its
 * {@code x-aiaas-currency} and the {@code x-ratelimit-*} headers. A billed call that lacks them went through a path
 * that skipped billing, and timing it would flatter billing; so the benchmark counts it as an error.
 */
public final class BilledAnswer {

    public static final String COST = "x-aiaas-cost";
    public static final String CURRENCY = "x-aiaas-currency";
    public static final List<String> RATE_LIMIT = List.of("x-ratelimit-limit-requests",
            "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests");

    private BilledAnswer() {
    }

    /**
     * Throws IllegalStateException naming the first header missing or wrong.
     *
     * @param header the answer's first value of a header (any case), if present
     */
    public static void require(String target, String currency, Function<String, Optional<String>> header) {
        String cost = header.apply(COST).orElseThrow(() -> missing(target, COST));
        BigDecimal amount;
        try {
            amount = new BigDecimal(cost);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(target + ": " + COST + " is not a number: '" + cost + "'");
        }
        if (amount.signum() <= 0) {
            throw new IllegalStateException(target + ": " + COST + " is " + cost + ", so the call was not priced");
        }
        String answered = header.apply(CURRENCY).orElseThrow(() -> missing(target, CURRENCY));
        if (!answered.equals(currency)) {
            throw new IllegalStateException(target + ": " + CURRENCY + " is " + answered + ", expected " + currency);
        }
        for (String name : RATE_LIMIT) {
            header.apply(name).orElseThrow(() -> missing(target, name));
        }
    }

    private static IllegalStateException missing(String target, String name) {
        return new IllegalStateException(target + ": the answer has no " + name + " header, so the call was not"
                + " limited and priced as its plan says");
    }
}
