package io.aiaas.platform.billing.tax.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.billing.tax.service.TaxRateRequest;
import io.aiaas.platform.billing.tax.service.TaxRateView;
import io.aiaas.platform.billing.tax.service.Taxes;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.Created;
import io.aiaas.platform.common.web.PathIds;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** Admin API: tax rates, which invoices carry when they are made (platform-admin); treatments: {@link TenantTaxAdminResource}. */
@Path("/admin/v1/tax-rates")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invoices (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class TaxRateAdminResource {

    /** {@code GET /admin/v1/tax-rates}. */
    public record TaxRates(List<TaxRateView> rates) {
    }

    private final AccessService access;
    private final Taxes taxes;

    TaxRateAdminResource(AccessService access, Taxes taxes) {
        this.access = access;
        this.taxes = taxes;
    }

    @GET
    @Operation(operationId = "adminListTaxRates", summary = "Every tax rate, by country, region and newest first")
    @APIResponse(responseCode = "200", description = "The rates")
    public TaxRates rates() {
        access.requirePlatformAdmin();
        return new TaxRates(taxes.rates());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminAddTaxRate", summary = "Add a country's (or a region's) tax rate from a day on;"
            + " invoices whose period ends from then on carry it")
    @APIResponse(responseCode = "201", description = "The rate; Location names it")
    @APIResponse(responseCode = "400", description = "validation_failed, invalid_json, invalid_tax_rate",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "tax_rate_exists",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<TaxRateView> add(@Valid @NotNull TaxRateRequest body, UriInfo uri) {
        Caller caller = access.requirePlatformAdmin();
        TaxRateView rate = taxes.add(body, caller);
        return Created.at(uri, rate.id().toString(), rate);
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "adminRemoveTaxRate", summary = "Remove a rate that has not taken effect yet")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "404", description = "tax_rate_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "tax_rate_in_effect",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public void remove(@RestPath String id) {
        Caller caller = access.requirePlatformAdmin();
        taxes.remove(PathIds.uuid(id, "tax_rate_not_found"), caller);
    }
}
