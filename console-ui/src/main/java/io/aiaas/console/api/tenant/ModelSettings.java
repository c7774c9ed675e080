package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tenant's settings for one model ({@code GET .../models/{name}/settings}): {@code version} is the version the
 * tenant pinned for calls that name none (a number) or {@code "latest"}; {@code servingVersion} where such a call goes
 * now (null: nowhere), {@code ready} whether a worker serves it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSettings(String model, JsonNode version, Integer servingVersion, boolean ready) {

    /** The pinned version, or null when the tenant follows the latest. */
    public Integer pinnedVersion() {
        return version != null && version.canConvertToInt() && version.isIntegralNumber() ? version.asInt() : null;
    }
}
