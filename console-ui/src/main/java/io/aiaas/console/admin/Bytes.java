package io.aiaas.console.admin;

import io.quarkus.qute.TemplateExtension;
import java.util.Locale;

/** A size for people: "812 B", "4.2 MB", "1.1 GB" ({@code {bytes:human(v.sizeBytes)}}). */
@TemplateExtension(namespace = "bytes")
public final class Bytes {

    private Bytes() {
    }

    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }
}
