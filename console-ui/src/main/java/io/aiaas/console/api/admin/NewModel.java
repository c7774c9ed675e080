package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Body of {@code POST /admin/v1/models}; owner_tenant (a slug) only for private models. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewModel(String name, String description, String visibility, String ownerTenant) {
}
