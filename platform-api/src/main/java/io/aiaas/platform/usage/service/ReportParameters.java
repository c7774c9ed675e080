package io.aiaas.platform.usage.service;

/**
 * The query parameters of a usage or cost report, as the client sent them (null when absent); {@link UsageService}
 * parses and checks them.
 *
 * @param start ISO-8601 instant (inclusive), default end - 24 h
 * @param end ISO-8601 instant (exclusive), default now
 * @param bucketWidth {@code 1m} (a range of at most a day), {@code 1h} (default) or {@code 1d}
 * @param groupBy {@code model}, {@code key} or null
 * @param model only calls of this model (by name), or null for all
 * @param keyId only calls made with this API key (a UUID), or null for all
 */
public record ReportParameters(String start, String end, String bucketWidth, String groupBy, String model,
        String keyId) {
}
