package io.aiaas.console.testsupport;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Reads an address block ({@code tags/billingParty.html}) back from a page, for the page tests. */
public final class AddressBlocks {

    private AddressBlocks() {
    }

    /**
     * The lines of the {@code <address>} with that id, tags stripped, joined by "|" ("Acme GmbH|Hauptstraße 1|10115
     * Berlin|Germany"), or null when the page has none.
     */
    public static String lines(String html, String id) {
        int start = html.indexOf("<address id=\"" + id + "\"");
        if (start < 0) {
            return null;
        }
        String inner = html.substring(html.indexOf('>', start) + 1, html.indexOf("</address>", start));
        return Arrays.stream(inner.split("<br>")).map(line -> line.replaceAll("<[^>]+>", "").trim())
                .filter(line -> !line.isEmpty()).collect(Collectors.joining("|"));
    }
}
