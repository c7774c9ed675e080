package io.aiaas.worker.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.WarmUp;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.ProtocolException;
import io.aiaas.protocol.SafeText;
import io.aiaas.worker.model.ModelKey;
import io.aiaas.worker.model.ModelNotFoundException;
import io.aiaas.worker.model.ModelRegistry;
import io.aiaas.worker.model.ModelVersion;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/** Model repository extension: the control plane (or an operator) loads and unloads model versions here. */
@Path("/v2/repository")
@Produces(MediaType.APPLICATION_JSON)
public class RepositoryResource {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final ModelRegistry registry;
    private final ObjectMapper mapper;
    private final InferenceCodec codec;
    private final BodyLimit bodyLimit;

    public RepositoryResource(ModelRegistry registry, ObjectMapper mapper, InferenceCodec codec, BodyLimit bodyLimit) {
        this.registry = registry;
        this.mapper = mapper;
        this.codec = codec;
        this.bodyLimit = bodyLimit;
    }

    /** How a READY version was warmed up: {@code "example"}, {@code "zeros"} or {@code "skipped"} with the reason. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WarmUpView(String status, String reason) {

        static WarmUpView of(WarmUp warmUp) {
            return warmUp == null ? null : new WarmUpView(warmUp.status().name().toLowerCase(Locale.ROOT), warmUp.reason());
        }
    }

    /** One entry of the repository index, also the answer to load and unload. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String name, int version, String state, String reason, WarmUpView warmup) {

        static Entry of(ModelVersion v) {
            return new Entry(v.key().name(), v.key().version(), v.state().name(), v.reason(), WarmUpView.of(v.warmUp()));
        }
    }

    @GET
    @Path("/index")
    public List<Entry> index() {
        return registry.all().stream().map(Entry::of).toList();
    }

    @POST
    @Path("/index")
    public List<Entry> indexPost() {
        return index();
    }

    /**
     * Body {@code {"sha256": "<64 hex>", "example": {<OIP infer request>} | null}}. The artifact is fetched from the
     * configured control plane only; an {@code artifact_url} is refused. Answers when the version is READY (or its
     * load failed), which may take a while for big models.
     */
    @POST
    @Path("/models/{name}/versions/{version}/load")
    @Consumes(MediaType.APPLICATION_JSON)
    public Entry load(@PathParam("name") String name, @PathParam("version") String version, InputStream body) {
        ModelKey key = new ModelKey(PathParams.modelName(name), PathParams.version(version));
        JsonNode request = read(body);
        String sha256 = null;
        String example = null;
        for (Iterator<String> fields = request.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            JsonNode value = request.get(field);
            switch (field) {
                case "sha256" -> {
                    if (!value.isTextual() || !SHA256.matcher(value.asText()).matches()) {
                        throw new BadRequestException("'sha256' must be 64 hexadecimal characters");
                    }
                    sha256 = value.asText();
                }
                case "example" -> example = example(value);
                case "artifact_url" -> throw new BadRequestException("'artifact_url' is not accepted: the worker "
                        + "fetches artifacts only from the control plane it is configured with");
                default -> throw new BadRequestException("unknown field '" + SafeText.forMessage(field, 40)
                        + "'; a load body has 'sha256' and an optional 'example'");
            }
        }
        if (sha256 == null) {
            throw new BadRequestException("'sha256' is missing");
        }
        ModelVersion loaded = registry.load(key, sha256, example);
        try {
            return Entry.of(loaded.whenReady().join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @POST
    @Path("/models/{name}/versions/{version}/unload")
    public Entry unload(@PathParam("name") String name, @PathParam("version") String version) {
        ModelKey key = new ModelKey(name, PathParams.version(version));
        if (!registry.unload(key)) {
            throw new ModelNotFoundException("model '" + SafeText.forMessage(name, 100) + "' version " + key.version()
                    + " is not loaded on this worker");
        }
        return new Entry(name, key.version(), "UNLOADED", null, null);
    }

    private JsonNode read(InputStream body) {
        JsonNode request;
        try {
            request = mapper.readTree(bodyLimit.limit(body));
        } catch (JsonProcessingException e) {
            throw ProtocolException.malformedJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (request == null || !request.isObject()) {
            throw new BadRequestException("a load body is a JSON object {\"sha256\": ..., \"example\": ...}");
        }
        return request;
    }

    /** The example as compact JSON after checking that it decodes; null for none. */
    private String example(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new BadRequestException("'example' must be an Open Inference Protocol infer request object");
        }
        String json;
        try {
            json = mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new BadRequestException("'example' cannot be written back as JSON");
        }
        if (SafeText.hasUnpairedSurrogate(json)) {
            throw new BadRequestException("'example' contains an unpaired surrogate, which is not valid Unicode");
        }
        try {
            codec.decode(json.getBytes(StandardCharsets.UTF_8));
        } catch (ProtocolException e) {
            throw new BadRequestException("'example': " + e.getMessage());
        }
        return json;
    }
}
