package io.aiaas.worker.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.aiaas.worker.model.ModelKey;
import io.aiaas.worker.model.ModelNotFoundException;
import io.aiaas.worker.model.ModelRegistry;
import io.aiaas.worker.model.ModelVersion;
import io.aiaas.protocol.ProtocolException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;

/** Model repository extension: the control plane (or an operator) loads and unloads model versions here. */
@Path("/v2/repository")
@Produces(MediaType.APPLICATION_JSON)
public class RepositoryResource {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private final ModelRegistry registry;

    public RepositoryResource(ModelRegistry registry) {
        this.registry = registry;
    }

    /** Body of a load call. */
    public record LoadRequest(String sha256, @JsonProperty("artifact_url") String artifactUrl) {
    }

    /** One entry of the repository index, also the answer to load and unload. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String name, int version, String state, String reason) {

        static Entry of(ModelVersion v) {
            return new Entry(v.key().name(), v.key().version(), v.state().name(), v.reason());
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

    /** Answers when the version is READY (or its load failed), which may take a while for big models. */
    @POST
    @Path("/models/{name}/versions/{version}/load")
    @Consumes(MediaType.APPLICATION_JSON)
    public Entry load(@PathParam("name") String name, @PathParam("version") String version, LoadRequest body) {
        ModelKey key = new ModelKey(name, InferenceResource.parseVersion(name, version));
        URI url = validate(body);
        ModelVersion loaded = registry.load(key, body.sha256(), url);
        try {
            return Entry.of(loaded.whenReady().join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @POST
    @Path("/models/{name}/versions/{version}/unload")
    public Entry unload(@PathParam("name") String name, @PathParam("version") String version) {
        ModelKey key = new ModelKey(name, InferenceResource.parseVersion(name, version));
        if (!registry.unload(key)) {
            throw new ModelNotFoundException("model '" + name + "' version " + version + " is not loaded on this worker");
        }
        return new Entry(name, key.version(), "UNLOADED", null);
    }

    private static URI validate(LoadRequest body) {
        if (body == null) {
            throw new ProtocolException("load needs a body {\"sha256\": ..., \"artifact_url\": ...}");
        }
        if (body.sha256() == null || !SHA256.matcher(body.sha256()).matches()) {
            throw new ProtocolException("'sha256' must be 64 hexadecimal characters");
        }
        if (body.artifactUrl() == null) {
            throw new ProtocolException("'artifact_url' is missing");
        }
        try {
            URI url = URI.create(body.artifactUrl());
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("not http");
            }
            return url;
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("'artifact_url' must be an http(s) URL");
        }
    }
}
