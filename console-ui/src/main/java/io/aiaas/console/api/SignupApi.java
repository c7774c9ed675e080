package io.aiaas.console.api;

import io.aiaas.console.api.signup.SignedUpTenant;
import io.aiaas.console.api.signup.SignupRequest;
import io.aiaas.console.api.signup.SignupStatus;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * platform-api's self-service sign-up as the signed-in person: whether they may create a tenant, and creating it. The
 * API decides (open or not, the per-person limit, the slug); the console only shows its answers.
 */
@RegisterRestClient(configKey = "platform-api")
@RegisterClientHeaders(BearerToken.class)
@RegisterProvider(ProblemMapper.class)
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public interface SignupApi {

    @GET
    @Path("signup")
    SignupStatus status();

    /** Creates a tenant on the sign-up plan with the caller as its admin. */
    @POST
    @Path("signup")
    @Consumes(MediaType.APPLICATION_JSON)
    SignedUpTenant createTenant(SignupRequest body);
}
