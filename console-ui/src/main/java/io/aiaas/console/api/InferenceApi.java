package io.aiaas.console.api;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * platform-api's inference gateway ({@code /v2}, Open Inference Protocol) called with the API key a person typed into
 * a model card's try-it panel, never with their session token: the call is what a program making it would get,
 * billed and limited the same way. Error answers are answers too: they come out as {@link Answered} carrying the
 * whole answer, so that the page shows them instead of an error page.
 */
@RegisterRestClient(configKey = "platform-api")
@Path("/v2/models/{name}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface InferenceApi {

    /** Infers with the highest READY version. */
    @POST
    @Path("infer")
    Response infer(@PathParam("name") String model, @HeaderParam("Authorization") String authorization, String body);

    @POST
    @Path("versions/{version}/infer")
    Response inferVersion(@PathParam("name") String model, @PathParam("version") int version,
            @HeaderParam("Authorization") String authorization, String body);

    @ClientExceptionMapper
    static RuntimeException answered(Response response) {
        return new Answered(InferenceAnswer.of(response));
    }

    /** An answer with status 400 or more. */
    final class Answered extends RuntimeException {
        private final transient InferenceAnswer answer;

        Answered(InferenceAnswer answer) {
            super("inference answered " + answer.status(), null, false, false);
            this.answer = answer;
        }

        public InferenceAnswer answer() {
            return answer;
        }
    }
}
