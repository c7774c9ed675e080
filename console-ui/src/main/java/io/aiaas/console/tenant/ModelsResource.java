package io.aiaas.console.tenant;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.InferenceAnswer;
import io.aiaas.console.api.InferenceApi;
import io.aiaas.console.api.TenantApi;
import io.aiaas.console.api.tenant.ModelCard;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.Formats;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The models a tenant may call, each as a model card (versions, signatures, example request and answer), with a
 * try-it panel: the console makes the call a program would make, with the API key the person gives, and shows the
 * outputs, the latency it measured around the call, the device and the cost the gateway reported, or the error. A
 * deprecated version has a notice (when the platform retires it, the version to use instead, the operator's note),
 * and a warning when the tenant's pin names it.
 */
@Path("/t/{slug}/models")
@Produces(MediaType.TEXT_HTML)
public class ModelsResource {

    private static final Logger LOG = Logger.getLogger(ModelsResource.class);
    /** An API key is printable ASCII without spaces: anything else is refused before it reaches a header. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance models(String slug, List<ModelCard> models);

        static native TemplateInstance card(String slug, Card page);
    }

    /**
     * The model card page.
     *
     * @param request what the try-it textarea holds: the example request, or what was submitted
     * @param version the version chosen in the try-it form (null = latest)
     * @param result the outcome of a try, else null
     * @param pin the version the tenant pinned for calls that name none, read only when a version is deprecated;
     *        null when it follows the latest, or was not read
     */
    public record Card(ModelCard model, String exampleRequest, String exampleResponse, String request,
            Integer version, Try result, Integer pin) {

        /** Whether the tenant's pin names that version. */
        public boolean pinned(ModelCard.Version v) {
            return pin != null && pin == v.version();
        }
    }

    /**
     * The outcome of a try.
     *
     * @param status the gateway's HTTP status
     * @param output the answer, pretty-printed JSON (on success)
     * @param error the error in words (status 400 or more, or no answer at all), else null
     */
    public record Try(int status, String output, String error, String latency, String device, String cost,
            String modelVersion) {
    }

    private final CurrentUser user;
    private final TenantApi api;
    private final InferenceApi inference;
    private final Formats fmt;

    ModelsResource(CurrentUser user, @RestClient TenantApi api, @RestClient InferenceApi inference, Formats fmt) {
        this.user = user;
        this.api = api;
        this.inference = inference;
        this.fmt = fmt;
    }

    @GET
    public TemplateInstance list(@RestPath String slug) {
        user.requireTenant(slug);
        return Templates.models(slug, api.models(slug));
    }

    @GET
    @Path("{name}")
    public TemplateInstance card(@RestPath String slug, @RestPath String name) {
        user.requireTenant(slug);
        ModelCard model = api.model(slug, name);
        String example = example(model, true);
        return Templates.card(slug, new Card(model, example, example(model, false), example, null, null,
                pin(slug, model)));
    }

    /**
     * The version the tenant pinned, asked only when the card has a deprecated version (its notice then says that the
     * pin stops working at the sunset); null when it follows the latest. A pin that cannot be read leaves that warning
     * out rather than the page; an expired session still signs in again.
     */
    private Integer pin(String slug, ModelCard model) {
        if (model.deprecated().isEmpty()) {
            return null;
        }
        try {
            return api.modelSettings(slug, model.name()).pinnedVersion();
        } catch (ApiProblem problem) {
            if (problem.status() == 401) {
                throw problem;
            }
            LOG.debugf("pin of %s for %s not read: %s", model.name(), slug, problem.getMessage());
            return null;
        }
    }

    /** Runs the request with the given key and shows the answer on the card; the key itself is never echoed. */
    @POST
    @Path("{name}/try")
    public Response tryIt(@RestPath String slug, @RestPath String name, @RestForm String key,
            @RestForm String request, @RestForm String version) {
        user.requireTenant(slug);
        ModelCard model = api.model(slug, name);
        String body = request == null ? "" : request;
        Integer chosen = null;
        Try result;
        if (version != null && !version.isBlank()) {
            try {
                chosen = Integer.valueOf(version.trim());
            } catch (NumberFormatException notANumber) {
                chosen = -1;
            }
        }
        if (chosen != null && model.versions().stream().noneMatch(v -> v.version() == version(version))) {
            result = failed("Choose one of the model's versions.");
            chosen = null;
        } else if (key == null || key.isBlank()) {
            result = failed("Enter an API key of this tenant to call the model with.");
        } else if (!KEY.matcher(key.trim()).matches()) {
            result = failed("That is not an API key: keys look like aiaas_ followed by letters and digits.");
        } else if (!validJson(body)) {
            result = failed("The request is not valid JSON.");
        } else {
            result = call(model.name(), chosen, key.trim(), body);
        }
        String example = example(model, true);
        Card page = new Card(model, example, example(model, false), body, chosen, result, pin(slug, model));
        return Response.ok(Templates.card(slug, page)).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store").build();
    }

    private static int version(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }

    private Try call(String model, Integer version, String key, String body) {
        String authorization = "Bearer " + key;
        InferenceAnswer answer;
        long began = System.nanoTime();
        try {
            try (Response response = version == null ? inference.infer(model, authorization, body)
                    : inference.inferVersion(model, version, authorization, body)) {
                answer = InferenceAnswer.of(response);
            }
        } catch (InferenceApi.Answered error) {
            answer = error.answer();
        } catch (ProcessingException unreachable) {
            LOG.warnf("try-it call to %s failed: %s", model, unreachable.getMessage());
            return new Try(0, null, "The platform could not be reached; try again in a moment.", null, null, null,
                    null);
        }
        double millis = (System.nanoTime() - began) / 1_000_000.0;
        String latency = millis < 10 ? String.format(Locale.ROOT, "%.1f ms", millis)
                : fmt.num(Math.round(millis)) + " ms";
        String cost = answer.header("x-aiaas-cost") == null ? null
                : fmt.money(answer.header("x-aiaas-cost"), answer.header("x-aiaas-currency"));
        String device = answer.header("x-aiaas-device");
        String servedBy = answer.header("x-aiaas-model-version");
        if (answer.ok()) {
            return new Try(answer.status(), pretty(answer.body()), null, latency, device, cost, servedBy);
        }
        return new Try(answer.status(), null, errorOf(answer), latency, device, cost, servedBy);
    }

    private static Try failed(String message) {
        return new Try(0, null, message, null, null, null, null);
    }

    /** An Open Inference Protocol error ({"error": ..., "code": ...}) in words, with the HTTP status. */
    private static String errorOf(InferenceAnswer answer) {
        String message = null;
        String code = null;
        try {
            JsonNode node = JSON.readTree(answer.body());
            if (node != null && node.isObject()) {
                message = node.path("error").isTextual() ? node.path("error").asText() : null;
                // a refusal in problem JSON (a proxy's, or an older gateway's) still says why
                for (String other : new String[] {"detail", "title"}) {
                    if (message == null && node.path(other).isTextual() && !node.path(other).asText().isBlank()) {
                        message = node.path(other).asText();
                    }
                }
                code = node.path("code").isMissingNode() || node.path("code").isNull() ? null
                        : node.path("code").asText();
            }
        } catch (JsonProcessingException | IllegalArgumentException notJson) {
            message = null;
        }
        if (message == null) {
            message = switch (answer.status()) {
                case 401 -> "The API key was not accepted.";
                case 403 -> "The API key may not make this call.";
                case 429 -> "Too many requests.";
                default -> "The call failed.";
            };
        }
        String retry = answer.header("retry-after");
        return "HTTP " + answer.status() + (code != null ? " " + code : "") + ": " + message
                + (retry != null ? " (retry after " + retry + " s)" : "");
    }

    private static boolean validJson(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && !node.isMissingNode();
        } catch (JsonProcessingException notJson) {
            return false;
        }
    }

    private static String pretty(String body) {
        try {
            return JSON.writeValueAsString(JSON.readTree(body));
        } catch (JsonProcessingException | IllegalArgumentException notJson) {
            return body;
        }
    }

    /** The latest version's example request (or answer), pretty-printed; empty when it has none. */
    private static String example(ModelCard model, boolean request) {
        ModelCard.Version latest = model.latest();
        if (latest == null || latest.example() == null) {
            return "";
        }
        JsonNode node = request ? latest.example().request() : latest.example().response();
        if (node == null || node.isNull()) {
            return "";
        }
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException unprintable) {
            return node.toString();
        }
    }
}
