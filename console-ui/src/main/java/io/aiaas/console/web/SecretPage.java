package io.aiaas.console.web;

import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The answer that shows a secret once (a new API key, a webhook's signing secret): rendered as the answer to the POST
 * itself, never behind a redirect or in a URL, never cached, never sent to another site as a referrer.
 */
public final class SecretPage {

    private SecretPage() {
    }

    public static Response of(TemplateInstance page) {
        return Response.ok(page).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }
}
