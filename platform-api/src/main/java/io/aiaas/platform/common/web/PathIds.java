package io.aiaas.platform.common.web;

import io.aiaas.platform.common.error.ApiException;
import java.util.UUID;

/** Ids in request paths: one that is not a UUID names nothing, so it is a 404, never a 400 or a 500. */
public final class PathIds {

    private PathIds() {
    }

    /**
     * The path segment as a UUID.
     *
     * @throws ApiException 404 with {@code code} when it is not one (the id, shortened, in the detail)
     */
    public static UUID uuid(String id, String code) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound(code, "no such id: " + id.substring(0, Math.min(40, id.length())));
        }
    }
}
