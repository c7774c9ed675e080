package io.aiaas.platform.model.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Locale;

/**
 * How a version was warmed up when it was registered: {@code example} (its example request ran), {@code zeros}
 * (zero-filled inputs ran) or {@code skipped} (zeros fail for this model; {@code reason} says why). A skipped warm-up
 * does not stop a version from serving: many real models refuse zeros.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WarmupView(String status, String reason) {

    static WarmupView of(String status, String reason) {
        return new WarmupView(status == null ? "zeros" : status.toLowerCase(Locale.ROOT), reason);
    }
}
