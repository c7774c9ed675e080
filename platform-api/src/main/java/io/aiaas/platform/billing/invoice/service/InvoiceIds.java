package io.aiaas.platform.billing.invoice.service;

import io.aiaas.platform.common.error.ApiException;
import java.util.Optional;
import java.util.UUID;

/** An invoice's id as a client typed it in a path, and the 404 for one that names no invoice. */
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

    /** Echoes client text in a message at a bounded length. */
    static String shorten(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }
}
