package io.aiaas.platform.apikey.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.apikey.service.ApiKeyService;
import io.aiaas.platform.apikey.service.ApiKeyView;
import io.aiaas.platform.apikey.service.CreateApiKeyRequest;
import io.aiaas.platform.apikey.service.CreatedApiKey;
import io.aiaas.platform.apikey.service.KeyBudgetRequest;
import io.aiaas.platform.apikey.service.KeyDisabledRequest;
import io.aiaas.platform.apikey.service.KeyExpiryRequest;
import io.aiaas.platform.apikey.service.KeyModelsRequest;
import io.aiaas.platform.apikey.service.KeyNameRequest;
import io.aiaas.platform.apikey.service.KeyNetworksRequest;
import io.aiaas.platform.apikey.service.KeyRateLimitRequest;
import io.aiaas.platform.apikey.service.RotateApiKeyRequest;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.Created;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Tenant API for API keys: members of the tenant list them; tenant admins and platform admins issue, rotate and revoke.
 */
@Path("/api/v1/tenants/{slug}/keys")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "API keys")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class ApiKeyResource {

    private final AccessService access;
    private final ApiKeyService service;

    ApiKeyResource(AccessService access, ApiKeyService service) {
        this.access = access;
        this.service = service;
    }

    @POST
    @Operation(operationId = "createKey")
    @APIResponse(responseCode = "201", description = "Created; the only response that shows the key")
    @APIResponse(responseCode = "400", description = "validation_failed (missing name, expires_at not in the future or"
            + " past year 9999, models empty, over 100 or not model names) or unknown_model (a model in models that the"
            + " tenant cannot call)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins issue keys",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<CreatedApiKey> create(@RestPath String slug, @Valid @NotNull CreateApiKeyRequest body,
            UriInfo uri) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        CreatedApiKey created = service.create(tenant, body);
        return Created.at(uri, created.id().toString(), created);
    }

    @GET
    @Operation(operationId = "listKeys")
    @APIResponse(responseCode = "200", description = "The tenant's keys, without secrets")
    public List<ApiKeyView> list(@RestPath String slug) {
        TenantAccess tenant = access.requireMember(slug);
        return service.list(tenant);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getKey")
    @APIResponse(responseCode = "200", description = "One key, without its secret, as the list shows it (with what it"
            + " spent of its monthly cap this period)")
    @APIResponse(responseCode = "404", description = "tenant_not_found, or api_key_not_found (also for another"
            + " tenant's key)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ApiKeyView get(@RestPath String slug, @RestPath UUID id) {
        TenantAccess tenant = access.requireMember(slug);
        return service.get(tenant, id);
    }

    @POST
    @Path("{id}/rotate")
    @Operation(operationId = "rotateKey")
    @APIResponse(responseCode = "201", description = "The new key, as issuing one answers (the only response that"
            + " shows it); the old key now expires when the overlap ends")
    @APIResponse(responseCode = "400", description = "overlap_seconds not an integer from 0 to 604800",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins rotate keys",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found, or api_key_not_found (also for another"
            + " tenant's key)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "key_not_active: the key is revoked or expired",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<CreatedApiKey> rotate(@RestPath String slug, @RestPath UUID id,
            @Valid RotateApiKeyRequest body, UriInfo uri) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        CreatedApiKey created = service.rotate(tenant, id, body == null ? RotateApiKeyRequest.DEFAULT_OVERLAP_SECONDS
                : body.overlap());
        // Location names the new key, as issuing one does
        return RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, created)
                .location(uri.getBaseUriBuilder().path(ApiKeyResource.class).path(created.id().toString())
                        .build(tenant.slug()))
                .build();
    }

    @PUT
    @Path("{id}/models")
    @Operation(operationId = "setKeyModels")
    @APIResponse(responseCode = "200", description = "The key with its new model list ({\"models\": null}: every"
            + " model of the tenant); every replica's gateway uses it once this answers")
    @APIResponse(responseCode = "400", description = "invalid_json (no models field), validation_failed (models empty,"
            + " over 100 or not model names) or unknown_model (a model the tenant cannot call)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins change keys",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found, or api_key_not_found (also for another"
            + " tenant's key)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "key_not_active: the key is revoked or expired",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ApiKeyView replaceModels(@RestPath String slug, @RestPath UUID id, @Valid @NotNull KeyModelsRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return service.replaceModels(tenant, id, body.models());
    }

    @PUT
    @Path("{id}/networks")
    @Operation(operationId = "setKeyNetworks",
            summary = "Set the client networks the key may be used from (null: anywhere); its calls from elsewhere"
            + " are refused with 403 network_not_allowed")
    @APIResponse(responseCode = "200", description = "The key with its networks, canonical (a bare address is a /32 or"
            + " /128); every replica's gateway uses them once this answers")
    @APIResponse(responseCode = "400", description = "invalid_json (no allowed_networks field), validation_failed (an"
            + " entry that is not an IPv4 or IPv6 address or CIDR network, bits set beyond its prefix, none or over 50)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins change keys",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found, or api_key_not_found (also for another"
            + " tenant's key)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "key_not_active: the key is revoked or expired",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ApiKeyView replaceNetworks(@RestPath String slug, @RestPath UUID id,
            @Valid @NotNull KeyNetworksRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return service.replaceNetworks(tenant, id, body.allowedNetworks());
    }

    @PUT
    @Path("{id}/budget")
    @Operation(operationId = "setKeyBudget",
            summary = "Set the key's monthly cap, in micro-units of the plan's currency (null: no cap); its calls"
            + " beyond it are refused with 429 key_budget_exceeded until the next billing period")
    @APIResponse(responseCode = "200", description = "The key, with its cap and what it spent of it this period")
    @APIResponse(responseCode = "400", description = "validation_failed (monthly_budget_micros missing, not positive or"
            + " over 10^15), invalid_json",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins change keys",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found, or api_key_not_found (also for another"
            + " tenant's key)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "key_not_active: the key is revoked or expired",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ApiKeyView setBudget(@RestPath String slug, @RestPath UUID id, @Valid @NotNull KeyBudgetRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return service.setBudget(tenant, id, body.monthlyBudgetMicros());
    }

    @PUT
    @Path("{id}/rate-limit")
    @Operation(operationId = "setKeyRateLimit",
            summary = "Set the key's own limit of calls per clock minute (null: only the plan's); the tighter of it"
            + " and the plan's per-key limit applies, with or without a plan")
    @APIResponse(responseCode = "200", description = "The key, with its limit")
    @APIResponse(responseCode = "400", description = "validation_failed (requests_per_minute missing, not positive or"
            + " over 1000000), invalid_json",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins change keys",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found, or api_key_not_found (also for another"
            + " tenant's key)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "key_not_active: the key is revoked or expired",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ApiKeyView setRateLimit(@RestPath String slug, @RestPath UUID id,
            @Valid @NotNull KeyRateLimitRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return service.setRateLimit(tenant, id, body.requestsPerMinute());
    }

    @PUT
    @Path("{id}/expiry")
    @Operation(operationId = "setKeyExpiry",
            summary = "Move the key's expiry, later or sooner (null: never), keeping its secret; an expired or revoked"
            + " key cannot be brought back")
    @APIResponse(responseCode = "200", description = "The key with its new expiry; every replica's gateway uses it"
            + " once this answers, and the expiry notice (api_key.expiring) follows the new date")
    @APIResponse(responseCode = "400", description = "invalid_json (no expires_at field, not a timestamp),"
            + " validation_failed (expires_at not in the future, or after year 9999)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins change keys",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found, or api_key_not_found (also for another"
            + " tenant's key)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "key_not_active: the key is revoked or expired",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ApiKeyView setExpiry(@RestPath String slug, @RestPath UUID id, @Valid @NotNull KeyExpiryRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return service.setExpiry(tenant, id, body.expiresAt());
    }

    @PUT
    @Path("{id}/name")
    @Operation(operationId = "renameKey", summary = "Rename the key; its secret and settings stay")
    @APIResponse(responseCode = "200", description = "The key with its new name")
    @APIResponse(responseCode = "400", description = "invalid_json, validation_failed (name blank or over 100"
            + " characters)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins change keys",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found, or api_key_not_found (also for another"
            + " tenant's key)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "key_not_active: the key is revoked or expired",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ApiKeyView rename(@RestPath String slug, @RestPath UUID id, @Valid @NotNull KeyNameRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return service.rename(tenant, id, body.name());
    }

    @PUT
    @Path("{id}/disabled")
    @Operation(operationId = "setKeyDisabled",
            summary = "Disable the key for a while without revoking it (true), or enable it again (false): a disabled"
            + " key's calls are refused with 403 key_disabled and recorded, so usage by key shows who still calls"
            + " with it")
    @APIResponse(responseCode = "200", description = "The key, status disabled or active; every replica's gateway"
            + " follows once this answers")
    @APIResponse(responseCode = "400", description = "invalid_json (no disabled field, not a boolean)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins change keys",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found, or api_key_not_found (also for another"
            + " tenant's key)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "key_not_active: the key is revoked or expired",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ApiKeyView setDisabled(@RestPath String slug, @RestPath UUID id, @Valid @NotNull KeyDisabledRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return service.setDisabled(tenant, id, body.disabled());
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "revokeKey")
    @APIResponse(responseCode = "204", description = "Revoked (also when it already was)")
    @APIResponse(responseCode = "403", description = "forbidden: only tenant admins revoke keys",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public void revoke(@RestPath String slug, @RestPath UUID id) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        service.revoke(tenant, id);
    }
}
