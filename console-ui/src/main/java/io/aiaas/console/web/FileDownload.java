package io.aiaas.console.web;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * A file answer of platform-api (a CSV report, an invoice's PDF) handed to the browser as it came, for the tenant and
 * the admin pages alike.
 */
public final class FileDownload {

    private FileDownload() {
    }

    /** The answer's body, type and download name passed on (the fallbacks where it has none), never cached. */
    public static Response passThrough(Response answer, String fallbackType, String fallbackName) {
        String type = answer.getHeaderString(HttpHeaders.CONTENT_TYPE);
        String disposition = answer.getHeaderString("Content-Disposition");
        InputStream body = answer.readEntity(InputStream.class);
        return Response.ok(body)
                .header(HttpHeaders.CONTENT_TYPE, type != null ? type : fallbackType)
                .header("Content-Disposition", disposition != null ? disposition
                        : "attachment; filename=\"" + fallbackName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"")
                .header("Cache-Control", "private, no-store")
                .build();
    }
}
