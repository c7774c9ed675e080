package io.aiaas.console.tenant;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.TenantApi;
import io.aiaas.console.api.tenant.ApiKey;
import io.aiaas.console.api.tenant.CreatedKey;
import io.aiaas.console.api.tenant.NewKey;
import io.aiaas.console.api.tenant.Rotation;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.Formats;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A tenant's API keys: members see the list; admins issue, rotate and revoke. A new secret (issued or rotated) is
 * shown once, on the answer to the POST itself (never in a URL, never stored by the console), with
 * {@code Cache-Control: no-store}; the page's script keeps it in this tab's sessionStorage for the try-it panel.
 */
@Path("/t/{slug}/keys")
@Produces(MediaType.TEXT_HTML)
public class KeysResource {

    /** The overlaps a rotation offers, in seconds: none, an hour, a day, a week. */
    static final List<Long> OVERLAPS = List.of(0L, 3_600L, 86_400L, 604_800L);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance keys(String slug, Page page);
    }

    /**
     * The page.
     *
     * @param created the key just issued or rotated (its secret shown once), else null
     * @param rotatedFrom the key it replaces when it came from a rotation, else null
     * @param done what the last redirected action did (revoked), else null
     */
    public record Page(List<ApiKey> keys, boolean admin, CreatedKey created, ApiKey rotatedFrom, FormError error,
            String done, String name, String expires) {

        /** Until when the replaced key still works, or null when it already stopped (a rotation without overlap). */
        public Instant oldKeyUntil() {
            return rotatedFrom == null || rotatedFrom.expiresAt() == null
                    || !rotatedFrom.expiresAt().isAfter(Instant.now()) ? null : rotatedFrom.expiresAt();
        }
    }

    private final CurrentUser user;
    private final TenantApi api;
    private final Formats fmt;

    KeysResource(CurrentUser user, @RestClient TenantApi api, Formats fmt) {
        this.user = user;
        this.api = api;
        this.fmt = fmt;
    }

    @GET
    public TemplateInstance list(@RestPath String slug, @RestQuery String done) {
        user.requireTenant(slug);
        return page(slug, null, null, FormError.NONE, "revoked".equals(done) ? done : null, null, null);
    }

    /** Issues a key and answers with the page showing its secret once. */
    @POST
    public Response create(@RestPath String slug, @RestForm String name, @RestForm String expires) {
        user.requireTenant(slug);
        Instant expiresAt;
        try {
            expiresAt = expires == null || expires.isBlank() ? null
                    : LocalDate.parse(expires.trim()).plusDays(1).atStartOfDay(fmt.zone()).toInstant();
        } catch (DateTimeParseException notADate) {
            return rerender(slug, 400, FormError.of("create-key", "The expiry date is not a date (YYYY-MM-DD)."),
                    name, expires);
        }
        if (name == null || name.isBlank()) {
            return rerender(slug, 400, FormError.of("create-key", "Give the key a name."), name, expires);
        }
        try {
            CreatedKey created = api.createKey(slug, new NewKey(name.trim(), expiresAt));
            return secret(page(slug, created, null, FormError.NONE, null, null, null));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return rerender(slug, FormError.status(problem), FormError.of("create-key", problem), name, expires);
        }
    }

    @POST
    @Path("{id}/revoke")
    public Response revoke(@RestPath String slug, @RestPath UUID id) {
        user.requireTenant(slug);
        try {
            api.revokeKey(slug, id);
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return rerender(slug, FormError.status(problem), FormError.of("revoke-key-" + id, problem), null, null);
        }
        return Response.seeOther(URI.create("/t/" + slug + "/keys?done=revoked")).build();
    }

    /** Replaces a key by a new one; the old one keeps working for the chosen overlap. Shows the new secret once. */
    @POST
    @Path("{id}/rotate")
    public Response rotate(@RestPath String slug, @RestPath UUID id, @RestForm String overlap) {
        user.requireTenant(slug);
        long seconds;
        try {
            seconds = Long.parseLong(overlap == null ? "" : overlap.trim());
        } catch (NumberFormatException notANumber) {
            seconds = -1;
        }
        if (!OVERLAPS.contains(seconds)) {
            return rerender(slug, 400, FormError.of("rotate-key-" + id, "Choose how long the old key keeps working."),
                    null, null);
        }
        try {
            CreatedKey created = api.rotateKey(slug, id, new Rotation(seconds));
            return secret(page(slug, created, id, FormError.NONE, null, null, null));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return rerender(slug, FormError.status(problem), FormError.of("rotate-key-" + id, problem), null, null);
        }
    }

    private TemplateInstance page(String slug, CreatedKey created, UUID rotatedFrom, FormError error, String done,
            String name, String expires) {
        List<ApiKey> keys = api.keys(slug);
        ApiKey old = rotatedFrom == null ? null
                : keys.stream().filter(k -> k.id().equals(rotatedFrom)).findFirst().orElse(null);
        return Templates.keys(slug, new Page(keys, user.adminOf(slug), created, old, error, done, name, expires));
    }

    private Response rerender(String slug, int status, FormError error, String name, String expires) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page(slug, null, null, error, null, name, expires)).build();
    }

    /** A page holding a secret: never cached, never sent to another site as a referrer. */
    private static Response secret(TemplateInstance page) {
        return Response.ok(page).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer").build();
    }
}
