package io.aiaas.console.admin;

import io.quarkus.qute.TemplateExtension;
import java.time.Duration;
import java.time.Instant;

/** "12 s ago", "5 min ago": how long ago something happened, for heartbeats ({@code {ago:since(instant)}}). */
@TemplateExtension(namespace = "ago")
public final class Ago {

    private Ago() {
    }

    public static String since(Instant then) {
        return between(then, Instant.now());
    }

    static String between(Instant then, Instant now) {
        if (then == null) {
            return "never";
        }
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        if (s < 60) {
            return s + " s ago";
        }
        if (s < 3600) {
            return s / 60 + " min ago";
        }
        if (s < 86_400) {
            return s / 3600 + " h ago";
        }
        return s / 86_400 + " d ago";
    }
}
