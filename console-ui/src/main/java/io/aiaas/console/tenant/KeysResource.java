package io.aiaas.console.tenant;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.TenantApi;
import io.aiaas.console.api.tenant.ApiKey;
import io.aiaas.console.api.tenant.CreatedKey;
import io.aiaas.console.api.tenant.KeyBudget;
import io.aiaas.console.api.tenant.KeyDisabled;
import io.aiaas.console.api.tenant.KeyExpiry;
import io.aiaas.console.api.tenant.KeyModels;
import io.aiaas.console.api.tenant.KeyName;
import io.aiaas.console.api.tenant.KeyNetworks;
import io.aiaas.console.api.tenant.KeyRateLimit;
import io.aiaas.console.api.tenant.ModelCard;
import io.aiaas.console.api.tenant.NewKey;
import io.aiaas.console.api.tenant.Rotation;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.Formats;
import io.aiaas.console.web.Parallel;
import io.aiaas.console.web.SecretPage;
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
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A tenant's API keys: members see the list (with each key's monthly budget and what it spent of it this period, its
 * own limit of requests per minute, the client networks it may be used from, and whether it is disabled); admins
 * issue, rotate, rename, disable and enable, revoke, move a key's expiry, and set or remove its budget, its limit and
 * its networks (of an active key or a disabled one alike). A new secret (issued or rotated) is
 * shown once, on the answer to the POST itself (never in a URL, never stored by the console), with
 * {@code Cache-Control: no-store}; the page's script keeps it in this tab's sessionStorage for the try-it panel.
 */
@Path("/t/{slug}/keys")
@Produces(MediaType.TEXT_HTML)
public class KeysResource {

    /** What a redirect after an action may say was done. */
    static final List<String> DONE = List.of("revoked", "models", "budget", "budget-removed", "rate-limit",
            "rate-limit-removed", "networks", "networks-removed", "expiry", "disabled", "enabled", "renamed");

    /** The actions whose notice names the key the redirect's {@code key} gives, as platform-api lists it. */
    static final List<String> NAMES_KEY = List.of("expiry", "disabled", "enabled", "renamed");

    /** A key's monthly budget as typed: empty is no cap. */
    static final BudgetInput BUDGET = new BudgetInput("The monthly budget", "leave it empty for no cap");

    /** The overlaps a rotation offers, in seconds: none, an hour, a day, a week. */
    static final List<Long> OVERLAPS = List.of(0L, 3_600L, 86_400L, 604_800L);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance keys(String slug, Page page);
    }

    /**
     * The page.
     *
     * @param admin whether this person administers the tenant
     * @param closed whether the tenant is closed: its keys are all revoked and none can be issued or changed
     * @param created the key just issued or rotated (its secret shown once), else null
     * @param rotatedFrom the key it replaces when it came from a rotation, else null
     * @param done what the last redirected action did (revoked, models, budget, budget-removed, rate-limit,
     *        rate-limit-removed, networks, networks-removed, expiry, disabled, enabled, renamed), else null
     * @param changed the key whose expiry was just moved, or that was just disabled, enabled or renamed ({@code done}
     *        expiry, disabled, enabled or renamed), when the redirect named one that is listed, else null
     * @param models the names of the models the tenant may call, offered to a new key (admins only, else empty)
     * @param typed what the issue form (or a key's name, budget, rate-limit, networks or expiry form) held when it
     *        was refused, else {@link Typed#NONE}
     */
    public record Page(List<ApiKey> keys, boolean admin, boolean closed, CreatedKey created, ApiKey rotatedFrom,
            FormError error, String done, ApiKey changed, List<String> models, Typed typed) {

        /** Whether the forms that change keys show: an admin, of a tenant that is not closed. */
        public boolean manage() {
            return admin && !closed;
        }

        /** Rows of the models list: all of them up to six, at least two so that it reads as a list. */
        public int modelListRows() {
            return Math.max(2, Math.min(6, models.size()));
        }

        /** The plan's currency as platform-api gives it with each key (null without a plan, or without keys). */
        public String currency() {
            return keys.stream().map(ApiKey::budgetCurrency).filter(c -> c != null && !c.isBlank()).findFirst()
                    .orElse(null);
        }

        /** Until when the replaced key still works, or null when it already stopped (a rotation without overlap). */
        public Instant oldKeyUntil() {
            return rotatedFrom == null || rotatedFrom.expiresAt() == null
                    || !rotatedFrom.expiresAt().isAfter(Instant.now()) ? null : rotatedFrom.expiresAt();
        }
    }

    /**
     * The issue form's inputs as sent: name, expiry date, chosen models (none = every model), monthly budget (empty =
     * no cap), requests per minute (empty = the plan's limits only) and client networks (the textarea's text; empty =
     * anywhere); after a refused name, budget, rate-limit, networks or expiry form of a key, only that form's value (for
     * the expiry form, the date and time typed in {@code expires}), for that key's row.
     */
    public record Typed(String name, String expires, List<String> models, String budget, String rateLimit,
            String networks) {
        static final Typed NONE = new Typed(null, null, List.of(), null, null, null);

        public boolean chose(String model) {
            return models.contains(model);
        }
    }

    private final CurrentUser user;
    private final TenantApi api;
    private final Formats fmt;
    private final Parallel parallel;

    KeysResource(CurrentUser user, @RestClient TenantApi api, Formats fmt, Parallel parallel) {
        this.user = user;
        this.api = api;
        this.fmt = fmt;
        this.parallel = parallel;
    }

    /**
     * The list, with the notice of the action a redirect says was done ({@code done}, and for a moved expiry or a key
     * disabled, enabled or renamed the key's id in {@code key}); the query can be typed by hand, so its text is never
     * shown and an unknown value shows none.
     */
    @GET
    public TemplateInstance list(@RestPath String slug, @RestQuery String done, @RestQuery String key) {
        user.requireTenant(slug);
        String said = done != null && DONE.contains(done) ? done : null;
        return page(slug, null, null, FormError.NONE, said, key, Typed.NONE);
    }

    /** Issues a key (for the chosen models, or every model when none is chosen); the page shows its secret once. */
    @POST
    public Response create(@RestPath String slug, @RestForm String name, @RestForm String expires,
            @RestForm List<String> models, @RestForm String budget, @RestForm("rate-limit") String rateLimit,
            @RestForm(NetworksInput.FIELD) String networks) {
        user.requireTenant(slug);
        List<String> chosen = chosen(models);
        Typed typed = new Typed(name, expires, chosen, budget, rateLimit, networks);
        NetworksInput allowed = NetworksInput.of(networks);
        Instant expiresAt;
        try {
            expiresAt = expires == null || expires.isBlank() ? null
                    : LocalDate.parse(expires.trim()).plusDays(1).atStartOfDay(fmt.zone()).toInstant();
        } catch (DateTimeParseException notADate) {
            return rerender(slug, 400, FormError.of("create-key", "The expiry date is not a date (YYYY-MM-DD)."),
                    typed);
        }
        Long budgetMicros;
        try {
            budgetMicros = BUDGET.micros(budget);
        } catch (IllegalArgumentException badAmount) {
            return rerender(slug, 400, FormError.of("create-key", badAmount.getMessage()), typed);
        }
        Integer perMinute;
        try {
            perMinute = KeyInputs.requestsPerMinute(rateLimit);
        } catch (IllegalArgumentException badLimit) {
            return rerender(slug, 400, FormError.of("create-key", badLimit.getMessage()), typed);
        }
        String keyName;
        try {
            keyName = KeyInputs.name(name);
        } catch (IllegalArgumentException badName) {
            return rerender(slug, 400, FormError.of("create-key", badName.getMessage()), typed);
        }
        try {
            CreatedKey created = api.createKey(slug, new NewKey(keyName, expiresAt,
                    chosen.isEmpty() ? null : chosen, budgetMicros, perMinute, allowed.networks()));
            return SecretPage.of(page(slug, created, null, FormError.NONE, null, null, Typed.NONE));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return rerender(slug, FormError.status(problem), allowed.refused("create-key", problem), typed);
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
            return rerender(slug, FormError.status(problem), FormError.of("revoke-key-" + id, problem), Typed.NONE);
        }
        return Response.seeOther(URI.create("/t/" + slug + "/keys?done=revoked")).build();
    }

    /** Replaces the models a key may call (none chosen: every model); the key itself stays the same. */
    @POST
    @Path("{id}/models")
    public Response models(@RestPath String slug, @RestPath UUID id, @RestForm List<String> models) {
        user.requireTenant(slug);
        List<String> chosen = chosen(models);
        try {
            api.replaceKeyModels(slug, id, new KeyModels(chosen.isEmpty() ? null : chosen));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return rerender(slug, FormError.status(problem), FormError.of("models-key-" + id, problem), Typed.NONE);
        }
        return Response.seeOther(URI.create("/t/" + slug + "/keys?done=models")).build();
    }

    /** Sets a live key's monthly budget (a decimal amount of the plan's currency), or removes it when empty. */
    @POST
    @Path("{id}/budget")
    public Response budget(@RestPath String slug, @RestPath UUID id, @RestForm String budget) {
        user.requireTenant(slug);
        return changeKey(slug, id, "budget", new Typed(null, null, List.of(), budget, null, null),
                () -> BUDGET.micros(budget),
                micros -> api.setKeyBudget(slug, id, new KeyBudget(micros)));
    }

    /** Sets a live key's own limit of requests per minute, or removes it when empty (the plan's limits only). */
    @POST
    @Path("{id}/rate-limit")
    public Response rateLimit(@RestPath String slug, @RestPath UUID id, @RestForm("rate-limit") String rateLimit) {
        user.requireTenant(slug);
        return changeKey(slug, id, "rate-limit", new Typed(null, null, List.of(), null, rateLimit, null),
                () -> KeyInputs.requestsPerMinute(rateLimit), perMinute -> api.setKeyRateLimit(slug, id,
                        new KeyRateLimit(perMinute)));
    }

    /**
     * Replaces the client networks a live key may be used from (one per line or comma-separated), or lets it be used
     * from anywhere when empty. platform-api checks each entry; a refusal is shown on the key's form
     * {@code networks-form-<id>} with what was typed, each refused entry told by its line.
     */
    @POST
    @Path("{id}/networks")
    public Response networks(@RestPath String slug, @RestPath UUID id, @RestForm(NetworksInput.FIELD) String networks) {
        user.requireTenant(slug);
        NetworksInput allowed = NetworksInput.of(networks);
        try {
            api.setKeyNetworks(slug, id, new KeyNetworks(allowed.networks()));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return rerender(slug, FormError.status(problem), allowed.refused("networks-form-" + id, problem),
                    new Typed(null, null, List.of(), null, null, networks));
        }
        String done = allowed.networks() == null ? "networks-removed" : "networks";
        return Response.seeOther(URI.create("/t/" + slug + "/keys?done=" + done + "#key-networks-" + id)).build();
    }

    /**
     * Moves a live key's expiry to a date and time typed in UTC ({@code expiry=at} with {@code expires-at}), or lets
     * it never expire ({@code expiry=never}; the form's two buttons send one each); the secret stays the same. The
     * choice and the date are checked here (platform-api is not asked when they do not make one); a refusal is shown on
     * the key's form {@code expiry-key-<id>} with what was typed; a success goes back to the list, which names the key
     * and its expiry.
     */
    @POST
    @Path("{id}/expiry")
    public Response expiry(@RestPath String slug, @RestPath UUID id, @RestForm String expiry,
            @RestForm("expires-at") String expiresAt) {
        user.requireTenant(slug);
        String form = "expiry-key-" + id;
        Typed typed = new Typed(null, expiresAt, List.of(), null, null, null);
        Instant at;
        try {
            at = KeyInputs.expiresAt(expiry, expiresAt);
        } catch (IllegalArgumentException bad) {
            return rerender(slug, 400, FormError.of(form, bad.getMessage()), typed);
        }
        try {
            api.setKeyExpiry(slug, id, new KeyExpiry(at));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return rerender(slug, FormError.status(problem), FormError.of(form, problem), typed);
        }
        return Response.seeOther(URI.create("/t/" + slug + "/keys?done=expiry&key=" + id)).build();
    }

    /**
     * Renames a live key; its secret and settings stay. The name is trimmed and checked here (blank, or over
     * {@value #MAX_NAME} characters, is refused without asking platform-api); a refusal is shown on the key's form
     * {@code name-key-<id>} with what was typed; a success goes back to the list, which names the key by its new name.
     */
    @POST
    @Path("{id}/name")
    public Response rename(@RestPath String slug, @RestPath UUID id, @RestForm String name) {
        user.requireTenant(slug);
        return changeKey(slug, id, "name", new Typed(name, null, List.of(), null, null, null), () -> KeyInputs.name(name),
                renamed -> api.renameKey(slug, id, new KeyName(renamed)), renamed -> "done=renamed&key=" + id);
    }

    /**
     * Disables a key for a while: calls with it are refused (403 {@code key_disabled}) until it is enabled; its secret
     * and settings are kept. A refusal is shown beside the key ({@code disable-key-<id>}); a success goes back to the
     * list, which names the key.
     */
    @POST
    @Path("{id}/disable")
    public Response disable(@RestPath String slug, @RestPath UUID id) {
        user.requireTenant(slug);
        return switchKey(slug, id, true);
    }

    /**
     * Enables a disabled key again, with the secret and settings it had; a refusal is shown beside the key
     * ({@code enable-key-<id>}), a success goes back to the list, which names the key.
     */
    @POST
    @Path("{id}/enable")
    public Response enable(@RestPath String slug, @RestPath UUID id) {
        user.requireTenant(slug);
        return switchKey(slug, id, false);
    }

    /** Sends a key's disabled flag; a refusal is shown beside the key, a success goes back to the list naming it. */
    private Response switchKey(String slug, UUID id, boolean disabled) {
        String form = (disabled ? "disable" : "enable") + "-key-" + id;
        try {
            api.setKeyDisabled(slug, id, new KeyDisabled(disabled));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return rerender(slug, FormError.status(problem), FormError.of(form, problem), Typed.NONE);
        }
        return Response.seeOther(URI.create("/t/" + slug + "/keys?done=" + (disabled ? "disabled" : "enabled")
                + "&key=" + id)).build();
    }

    /**
     * One setting of a key from its row's form ({@code what}: its form is {@code <what>-key-<id>}): the typed value is
     * checked here (its {@link IllegalArgumentException} is the form's error, and platform-api is not asked), then
     * sent; a refusal is shown on the form with what was typed, a success goes back to the list saying {@code what}
     * (or {@code <what>-removed} for an empty value) was done.
     */
    private <T> Response changeKey(String slug, UUID id, String what, Typed typed, Supplier<T> parsed,
            Consumer<T> send) {
        return changeKey(slug, id, what, typed, parsed, send,
                value -> "done=" + what + (value == null ? "-removed" : ""));
    }

    /** {@link #changeKey(String, UUID, String, Typed, Supplier, Consumer)} going back to the list with this query. */
    private <T> Response changeKey(String slug, UUID id, String what, Typed typed, Supplier<T> parsed,
            Consumer<T> send, Function<T, String> query) {
        String form = what + "-key-" + id;
        T value;
        try {
            value = parsed.get();
        } catch (IllegalArgumentException bad) {
            return rerender(slug, 400, FormError.of(form, bad.getMessage()), typed);
        }
        try {
            send.accept(value);
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return rerender(slug, FormError.status(problem), FormError.of(form, problem), typed);
        }
        return Response.seeOther(URI.create("/t/" + slug + "/keys?" + query.apply(value))).build();
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
                    Typed.NONE);
        }
        try {
            CreatedKey created = api.rotateKey(slug, id, new Rotation(seconds));
            return SecretPage.of(page(slug, created, id, FormError.NONE, null, null, Typed.NONE));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return rerender(slug, FormError.status(problem), FormError.of("rotate-key-" + id, problem), Typed.NONE);
        }
    }

    /** The models chosen in a form's list, without blanks and repeats. */
    private static List<String> chosen(List<String> models) {
        return models == null ? List.of()
                : models.stream().filter(m -> m != null && !m.isBlank()).map(String::trim).distinct().toList();
    }

    private TemplateInstance page(String slug, CreatedKey created, UUID rotatedFrom, FormError error, String done,
            String changedId, Typed typed) {
        boolean admin = user.adminOf(slug);
        boolean closed = user.closed(slug);
        // independent calls at once; only an admin, who issues keys, needs the models to choose from
        var keys = parallel.start(() -> api.keys(slug));
        var models = admin && !closed
                ? parallel.start(() -> api.models(slug).stream().map(ModelCard::name).toList()) : null;
        ApiKey old = rotatedFrom == null ? null
                : keys.get().stream().filter(k -> k.id().equals(rotatedFrom)).findFirst().orElse(null);
        // the id comes from the query, which anyone can type: only a listed key is named, by what platform-api says
        ApiKey changed = done == null || !NAMES_KEY.contains(done) || changedId == null ? null
                : keys.get().stream().filter(k -> k.id().toString().equals(changedId)).findFirst().orElse(null);
        return Templates.keys(slug, new Page(keys.get(), admin, closed, created, old, error, done, changed,
                models == null ? List.of() : models.get(), typed));
    }

    private Response rerender(String slug, int status, FormError error, Typed typed) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page(slug, null, null, error, null, null, typed)).build();
    }
}
