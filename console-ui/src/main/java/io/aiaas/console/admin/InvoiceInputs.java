package io.aiaas.console.admin;

import io.aiaas.console.web.DayInput;
import io.aiaas.console.web.MoneyInput;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * What the admin's invoice page reads from its forms (AdminInvoiceResource): days, references and amounts as
 * platform-api takes them, each with a message for its input in {@code errors} when it is not one.
 */
final class InvoiceInputs {

    private InvoiceInputs() {
    }

    /**
     * The day typed in the date input (YYYY-MM-DD) as the start of that day in UTC, null when empty (now); null with a
     * message in {@code errors} when it is not a day or its start is in the future.
     */
    static Instant paidDay(String typed, Map<String, String> errors) {
        return day(typed, "paid_at", errors);
    }

    /** As {@link #paidDay}, for the input that takes {@code field} (paid_at, refunded_at). */
    static Instant day(String typed, String field, Map<String, String> errors) {
        Instant at = DayInput.startOf(typed, field, "2026-12-03", errors);
        if (at != null && at.isAfter(Instant.now())) {
            errors.put(field, "may not be in the future (the day counts from its start, UTC)");
            return null;
        }
        return at;
    }

    /** A reference as platform-api takes it (1 to 200 characters), else a message for its input in {@code errors}. */
    static void reference(String typed, String missing, Map<String, String> errors) {
        if (typed.isEmpty()) {
            errors.put("reference", missing);
        } else if (typed.length() > AdminInvoiceResource.MAX_REFERENCE) {
            errors.put("reference", "at most 200 characters");
        }
    }

    /**
     * An amount of a payment or refund typed as a decimal of the invoice's currency ("1.2" USD) as its minor units,
     * exactly (120; "12" JPY is 12); null, with a message for the amount input in {@code errors}, when it is not a
     * number, not above zero, has more decimals than the currency has, or does not fit.
     */
    static Long minorUnits(String typed, String currency, Map<String, String> errors) {
        try {
            return MoneyInput.minor(typed, currency);
        } catch (MoneyInput.Invalid invalid) {
            int digits = MoneyInput.fractionDigits(currency);
            String smallest = BigDecimal.ONE.movePointLeft(digits).toPlainString();
            errors.put("amount", switch (invalid.fault()) {
                case NOT_A_NUMBER -> "not an amount: type one such as " + (digits == 0 ? "12" : "2.5" + "0".repeat(
                        digits - 1));
                case TOO_SMALL -> "must be more than 0";
                case TOO_PRECISE -> (digits == 0 ? "no decimals" : "at most " + digits + (digits == 1 ? " decimal"
                        : " decimals")) + " (the smallest amount of " + currency + " is " + smallest + ")";
                case TOO_LARGE -> "too large";
            });
            return null;
        }
    }

    /**
     * An amount typed as a decimal of the invoice's currency ("2.50") as micro-units, exactly (2,500,000); null, with
     * a message for the input in {@code errors}, when it is empty, not a number, not above zero, has more than six
     * decimals or does not fit.
     */
    static Long creditMicros(String typed, Map<String, String> errors) {
        if (typed == null || typed.isBlank()) {
            errors.put("amount", "enter the amount to credit, e.g. 2.50");
            return null;
        }
        try {
            return MoneyInput.micros(typed, true);
        } catch (MoneyInput.Invalid invalid) {
            errors.put("amount", switch (invalid.fault()) {
                case NOT_A_NUMBER -> "not an amount: type one such as 2.50";
                case TOO_SMALL -> "must be more than 0";
                case TOO_PRECISE -> "at most 6 decimals (credit notes are kept in millionths of the currency)";
                case TOO_LARGE -> "too large";
            });
            return null;
        }
    }
}
