package io.aiaas.platform.usage.rest;

import io.aiaas.platform.usage.service.ReportParameters;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The query parameters shared by the usage report, its CSV and the cost report, declared once. Validated by
 * {@code UsageService} (400 invalid_parameter naming the parameter).
 */
public class ReportQuery {

    @Parameter(description = "ISO-8601, inclusive; default end - 24h")
    @RestQuery
    String start;

    @Parameter(description = "ISO-8601, exclusive; default now")
    @RestQuery
    String end;

    @Parameter(description = "1m (a range of at most 1 day), 1h (default) or 1d")
    @RestQuery("bucket_width")
    String bucketWidth;

    @Parameter(description = "model, key, or absent")
    @RestQuery("group_by")
    String groupBy;

    @Parameter(description = "only calls of this model (name); absent: all")
    @RestQuery
    String model;

    @Parameter(description = "only calls with this API key (UUID); absent: all")
    @RestQuery("key_id")
    String keyId;

    ReportParameters parameters() {
        return new ReportParameters(start, end, bucketWidth, groupBy, model, keyId);
    }
}
