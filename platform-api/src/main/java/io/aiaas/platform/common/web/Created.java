package io.aiaas.platform.common.web;

import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestResponse;

/** Builds 201 responses whose Location is the request path plus the new resource's segment. */
public final class Created {

    private Created() {
    }

    public static <T> RestResponse<T> at(UriInfo uri, String segment, T body) {
        return RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, body)
                .location(uri.getAbsolutePathBuilder().path(segment).build())
                .build();
    }
}
