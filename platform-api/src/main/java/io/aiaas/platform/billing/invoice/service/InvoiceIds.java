package io.aiaas.platform.billing.invoice.service;

import io.aiaas.platform.common.error.ApiException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

/**
 * An invoice's id as a client typed it in a path, and the 404 for one that names no invoice; a billing period as a
 * client typed it.
 */
public final class InvoiceIds {

    private InvoiceIds() {
    }

    /** The id, or empty when the text is no UUID (such an invoice cannot exist: 404, like an unknown one). */
    public static Optional<UUID> parse(String id) {
        try {
            return id == null ? Optional.empty() : Optional.of(UUID.fromString(id.trim()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** 404 {@code invoice_not_found}, echoing the id at a bounded length. */
    public static ApiException notFound(String id) {
        return ApiException.notFound("invoice_not_found", "No invoice " + shorten(id));
    }

    /** {@code YYYY-MM} to the period's first day. */
    public static LocalDate period(String period) {
        try {
            YearMonth month = YearMonth.parse(period.trim());
            if (month.getYear() < 2000 || month.getYear() > 9999) {
                throw ApiException.badRequest("invalid_parameter", "period must be a month from 2000-01 to 9999-12");
            }
            return month.atDay(1);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_parameter", "period must be a month such as 2026-11 (YYYY-MM)");
        }
    }

    /** Echoes client text in a message at a bounded length. */
    static String shorten(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }
}
