package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of {@code PUT /admin/v1/models/{name}/versions/{version}/sunset}: when the platform retires the version, the
 * version to move to and a note for the tenants. Every field is sent, a null one as {@code null} (no successor, no
 * note): the PUT replaces all three, so leaving a field out must not read as "keep it".
 *
 * @param sunsetAt an ISO-8601 instant in UTC, e.g. {@code 2027-01-31T00:00:00Z}
 * @param successor a version of the same model, or null
 * @param note at most 500 characters, or null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SunsetRequest(String sunsetAt, Integer successor, String note) {
}
